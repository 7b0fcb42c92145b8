// A hermes fleet of five workspaces on the real dockerd for the rollout tests (issue 18): images
// pushed to the test registry, every workspace on the `old` one, three rings by explicit ids
// (canary = 1st, early = 2nd and 3rd, fleet = the rest), and a webhook endpoint for rollout events.
import { afterAll, beforeAll, expect } from "vitest";

import type { Db } from "@/lib/db/client";
import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { promotePin } from "@/lib/db/pins";
import { replaceRings } from "@/lib/db/rings";
import { getRollout, type RolloutView } from "@/lib/db/rollouts/read";
import type { RingConfig } from "@/lib/domain/rings";
import { runOperation } from "@/lib/operations/run-operation";
import { containerName, workspaceLabels } from "@/lib/provisioner/containers/naming";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import type { RolloutDeps } from "@/lib/rollouts/deps";
import { tickRollout } from "@/lib/rollouts/engine";

import type { Backend } from "./databases";
import { dockerTestEnv, inspectRaw, randomSuffix, removeWorkspaceArtifacts, testNamespace } from "./docker";
import { buildAndPushTestImage, type PushedImage } from "./images";
import { createPlatformContainer, removePlatformContainer } from "./platform-containers";
import { useTestDatabase } from "./use-test-database";
import { waitFor } from "./wait-for";

export const ACTOR = "olga@example.com";
export const ENDED = ["succeeded", "rolled_back", "aborted"];
/** A CMD running `script` in the image's busybox shell. */
export const shCmd = (script: string) => `CMD ${JSON.stringify(["/bin/busybox", "sh", "-c", script])}`;

const ring = (name: string, bakeSeconds: number, selector: RingConfig["selector"]): RingConfig => ({
  name,
  bakeSeconds,
  failureBudget: 0,
  maxUnavailable: name === "canary" ? 1 : 0,
  autoAdvance: true,
  selector,
});

export type RolloutFleetOptions = {
  /**
   * Start every workspace on a container made the way the platform makes it (a user-defined
   * bridge network, 8000/tcp published on a loopback port) instead of Fleetpin's first-container
   * spec (network "none", nothing published): a reprovision clones that, ports included, so the
   * bake's HTTP probe has a port to go through.
   */
  publishedPorts?: boolean;
};

/** Registers the fleet's hooks; `images` maps a tag to its `docker import --change` lines (`old` is added). */
export function useRolloutFleet<T extends string>(
  backend: Backend,
  images: Record<T, string[]>,
  options: RolloutFleetOptions = {},
) {
  const namespace = testNamespace("rollouts");
  const env = dockerTestEnv(namespace, { FLEETPIN_STOP_TIMEOUT_SECONDS: "1", FLEETPIN_HEALTH_SETTLE_SECONDS: "1" });
  const docker = createDockerClient();
  const database = useTestDatabase(backend);
  const ids: string[] = [];
  const pushed = {} as Record<T | "old", PushedImage>;

  const push = (tag: string, changes: string[]) =>
    buildAndPushTestImage({
      repository: `${namespace}/workspace-template-hermes`,
      tag,
      marker: `${tag}-${randomSuffix()}`,
      changes,
    });

  const deps = (db: Db): RolloutDeps => ({
    env,
    dockerForHost: async () => docker,
    startOperation: (operationId) => void runOperation(operationId, { db, docker, env }),
  });

  beforeAll(async () => {
    for (const [tag, changes] of Object.entries<string[]>({ old: [], ...images })) {
      pushed[tag as T | "old"] = await push(tag, changes);
    }
    const db = database();
    await db.$executeRaw`INSERT INTO runtime_image_pins (template_name, digest) VALUES ('hermes', ${pushed.old.digest})`;
    const rows = await db.$queryRaw<{ id: string }[]>`
      INSERT INTO workspaces (name, runtime, status, created_at)
      SELECT 'ring-' || g || '-' || ${randomSuffix()}, 'hermes', 'offline', timestamptz '2026-01-01' + (g || ' seconds')::interval
      FROM generate_series(1, 5) g
      RETURNING id::text AS id`;
    ids.push(...rows.map((row) => row.id));
    if (options.publishedPorts) {
      for (const id of ids) await startOnPlatformContainer(db, id, pushed.old);
    } else {
      // Every workspace starts on the old image, made by a plain reprovision (rings still off).
      const { operationId } = await enqueueReprovision(db, { workspaceIds: ids, concurrency: 5 }, ACTOR);
      expect(await runOperation(operationId, { db, docker, env })).toBe("succeeded");
    }
    await replaceRings(
      db,
      [
        ring("canary", 4, { workspaceIds: [ids[0]!] }),
        ring("early", 2, { workspaceIds: [ids[1]!, ids[2]!] }),
        ring("fleet", 2, null),
      ],
      ACTOR,
    );
    await db.webhookEndpoint.create({
      data: { url: "http://127.0.0.1:9/hook", secret: "s", events: ["rollout.rolled_back"], createdBy: ACTOR },
    });
  }, 300_000);

  afterAll(async () => {
    for (const id of ids) {
      await removeWorkspaceArtifacts(id);
      if (options.publishedPorts) await removePlatformContainer({ name: containerName(id), workspaceId: id });
    }
  });

  const pinOf = async (db: Db) => (await db.runtimeImagePin.findUnique({ where: { templateName: "hermes" } }))!.digest;
  const imageOf = async (id: string) => (await inspectRaw(containerName(id)))?.Config.Image;
  const containerIdOf = async (id: string) => (await inspectRaw(containerName(id)))?.Id;

  /** Promotes `image` over the current pin; with rings on, that starts a rollout, whose id is returned. */
  async function promote(db: Db, image: PushedImage): Promise<string> {
    const input = {
      templateName: "hermes",
      digest: image.digest,
      expectedDigest: await pinOf(db),
      reason: `ship ${image.tag}`,
    };
    const change = await promotePin(db, input, ACTOR);
    expect(change.rolloutId).toBeDefined();
    return change.rolloutId!;
  }

  /** Ticks the rollout until `done` (default: it ended), calling `each` with every state seen on the way. */
  async function drive(
    db: Db,
    id: string,
    options: { each?: (view: RolloutView, pin: string) => void; done?: (view: RolloutView) => boolean } = {},
  ): Promise<RolloutView> {
    let view = (await getRollout(db, id))!;
    const done = options.done ?? ((current: RolloutView) => ENDED.includes(current.status));
    await waitFor(
      async () => {
        await tickRollout(db, id, deps(db));
        view = (await getRollout(db, id))!;
        options.each?.(view, await pinOf(db));
        return done(view);
      },
      `rollout ${id} to reach the state the test waits for`,
      180_000,
    );
    return view;
  }

  return { database, ids, images: pushed, deps, pinOf, imageOf, containerIdOf, promote, drive };
}

/** The platform's Start() for workspace `id` on `image` (its own CMD), recorded on the workspace row. */
async function startOnPlatformContainer(db: Db, id: string, image: PushedImage): Promise<void> {
  const container = await createPlatformContainer({
    workspaceId: id,
    image: image.digestRef,
    runtime: "hermes",
    extraLabels: workspaceLabels(id, "hermes"),
  });
  await db.$executeRaw`
    UPDATE workspaces
    SET container_id = ${container.id}, container_name = ${container.name}, status = 'online',
        runtime_image = ${image.digestRef}, runtime_image_digest = ${image.digest}, last_provisioned_at = now()
    WHERE id = ${id}::uuid`;
}
