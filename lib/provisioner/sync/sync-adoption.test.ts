// syncFromDocker against containers the PLATFORM made (test/platform-containers.ts: the seed's
// Start() body), on the real dockerd, PostgreSQL and PGlite.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { enqueueSync } from "@/lib/db/operations/enqueue-sync";
import { getOperationProgress } from "@/lib/db/operations/get-operation-progress";
import { runOperation } from "@/lib/operations/run-operation";
import { containerName, LABEL_MANAGED, LABEL_TEMPLATE, LABEL_WORKSPACE_ID } from "@/lib/provisioner/containers/naming";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable, pushTemplateImage, randomSuffix, testNamespace } from "@/test/docker";
import { dockerCli, removeLocalImage, TEST_IMAGE_CMD, type PushedImage } from "@/test/images";
import {
  createPlatformContainer,
  removePlatformContainer,
  testDockerSocketPath,
  type PlatformContainer,
  type PlatformContainerOptions,
} from "@/test/platform-containers";
import { useTestDatabase } from "@/test/use-test-database";

import { syncFromDocker, type SyncResult } from "./sync";

const servicesUp = dockerServicesAvailable();
const ACTOR = "ops@example.com";
const namespace = testNamespace("adopt");
let claude: PushedImage | undefined;
let hermes: PushedImage | undefined;
const made: PlatformContainer[] = [];
const strays: string[] = [];

beforeAll(async () => {
  if (!servicesUp) return;
  claude = await pushTemplateImage({
    namespace,
    runtime: "claude-code",
    marker: `adopt-${randomSuffix()}`,
    keepLocal: true,
  });
  hermes = await pushTemplateImage({
    namespace,
    runtime: "hermes",
    marker: `adopt-${randomSuffix()}`,
    keepLocal: true,
  });
});
afterAll(async () => {
  for (const container of made) await removePlatformContainer(container);
  for (const id of strays) await dockerCli(["rm", "-f", id]).catch(() => undefined);
  for (const image of [claude, hermes])
    if (image) for (const ref of [image.ref, image.digestRef]) await removeLocalImage(ref);
  await removeLocalImage("workspace-template:hermes");
});

async function platform(options: Omit<PlatformContainerOptions, "cmd">): Promise<PlatformContainer> {
  const container = await createPlatformContainer({ cmd: TEST_IMAGE_CMD, ...options });
  made.push(container);
  return container;
}

const skipOf = (result: SyncResult, containerId: string) =>
  result.skipped.filter((s) => s.containerId === containerId).map((s) => s.reason);

describe.runIf(servicesUp).each(availableBackends())("adopting platform-made containers on %s", (backend) => {
  const db = useTestDatabase(backend);
  const docker = createDockerClient();

  it("adopts tiers 1, 2 and 4 with id, name, runtime, status and digest read from what the platform wrote", async () => {
    const t1 = await platform({ image: claude!.ref, runtime: "claude-code", tier: 1 });
    const t2 = await platform({ image: hermes!.digestRef, runtime: "hermes", tier: 2 });
    const t4 = await platform({
      image: claude!.ref,
      runtime: "claude-code",
      tier: 4,
      privileged: false,
      hostNetworkEndpoint: false,
      dockerSocketPath: testDockerSocketPath(),
    });
    const stopped = await platform({ image: hermes!.ref, runtime: "hermes", tier: 2 });
    await dockerCli(["stop", "-t", "1", stopped.id]);

    const result = await syncFromDocker({ db: db(), docker, actor: ACTOR });

    expect(result.adopted).toEqual(
      expect.arrayContaining([t1.workspaceId, t2.workspaceId, t4.workspaceId, stopped.workspaceId]),
    );
    const row = (id: string) => db().workspace.findUnique({ where: { id } });
    expect(await row(t1.workspaceId)).toMatchObject({
      name: containerName(t1.workspaceId),
      runtime: "claude-code",
      status: "online",
      containerId: t1.id,
      containerName: t1.name,
      runtimeImage: claude!.ref,
      runtimeImageDigest: claude!.digest,
    });
    expect(await row(t2.workspaceId)).toMatchObject({
      runtime: "hermes",
      status: "online",
      runtimeImage: hermes!.digestRef,
      runtimeImageDigest: hermes!.digest,
    });
    expect(await row(t4.workspaceId)).toMatchObject({
      runtime: "claude-code",
      status: "online",
      containerId: t4.id,
      runtimeImageDigest: claude!.digest,
    });
    expect(await row(stopped.workspaceId)).toMatchObject({
      runtime: "hermes",
      status: "down",
      containerId: stopped.id,
    });

    // Sync never mutates a container: Fleetpin's labels are only added when it recreates one.
    const labels = JSON.parse(
      await dockerCli(["container", "inspect", "--format", "{{json .Config.Labels}}", t1.id]),
    ) as Record<string, string>;
    expect(labels).toEqual({ [LABEL_MANAGED]: "true" });

    // A second sync finds nothing to change.
    const again = await syncFromDocker({ db: db(), docker, actor: ACTOR });
    expect(again.adopted).not.toContain(t1.workspaceId);
    expect(again.updated).not.toContain(t1.workspaceId);
  });

  it("skips unreadable and ambiguous containers with the reason, guessing nothing", async () => {
    const other = randomUUID();
    const notUuid = await platform({
      workspaceId: `not-a-uuid-${randomSuffix()}`,
      image: hermes!.ref,
      runtime: "hermes",
    });
    const disagree = await platform({
      image: hermes!.ref,
      runtime: "hermes",
      extraLabels: { [LABEL_WORKSPACE_ID]: other },
    });
    const misnamed = await platform({ image: hermes!.ref, runtime: "hermes", name: containerName(randomUUID()) });
    const imageId = (await dockerCli(["image", "inspect", "--format", "{{.Id}}", hermes!.ref])).trim();
    const byImageId = await platform({ image: imageId, runtime: "hermes" });
    const labelled = randomUUID();
    const badTemplate = await platform({
      workspaceId: labelled,
      image: hermes!.ref,
      runtime: "hermes",
      extraLabels: { [LABEL_WORKSPACE_ID]: labelled, [LABEL_TEMPLATE]: "nope" },
    });
    const shared = randomUUID();
    const twinA = await platform({
      workspaceId: shared,
      name: `plat-a-${randomSuffix()}`,
      image: hermes!.ref,
      runtime: "hermes",
    });
    const twinB = await platform({
      workspaceId: shared,
      name: `plat-b-${randomSuffix()}`,
      image: hermes!.ref,
      runtime: "hermes",
    });
    const anonymous = (
      await dockerCli([
        "create",
        "--network",
        "none",
        "--label",
        `${LABEL_MANAGED}=true`,
        "--name",
        `plat-anon-${randomSuffix()}`,
        hermes!.ref,
      ])
    ).trim();
    strays.push(anonymous);

    const result = await syncFromDocker({ db: db(), docker, actor: ACTOR });

    expect(skipOf(result, notUuid.id)).toEqual([
      `identity unreadable: env WORKSPACE_ID="${notUuid.workspaceId}" is not a UUID`,
    ]);
    expect(skipOf(result, disagree.id)).toEqual([
      `identity unreadable: label ${LABEL_WORKSPACE_ID}="${other}" and env WORKSPACE_ID="${disagree.workspaceId}" disagree`,
    ]);
    expect(skipOf(result, misnamed.id)).toEqual([
      `identity unreadable: name ${misnamed.name} does not match workspace ID ${misnamed.workspaceId} (expected ${containerName(misnamed.workspaceId)})`,
    ]);
    expect(skipOf(result, byImageId.id)).toEqual([
      `cannot adopt: runtime unreadable: image ${imageId} is given by ID, not by a template repository`,
    ]);
    expect(skipOf(result, badTemplate.id)).toEqual([
      `cannot adopt: label ${LABEL_TEMPLATE}="nope" is not a known runtime`,
    ]);
    for (const twin of [twinA, twinB]) {
      expect(skipOf(result, twin.id)).toEqual([
        expect.stringMatching(
          new RegExp(`^ambiguous: 2 containers \\(.*\\) claim workspace ${shared} and none is its current one`),
        ),
      ]);
    }
    expect(skipOf(result, anonymous)).toEqual([
      `identity unreadable: no ${LABEL_WORKSPACE_ID} label and no WORKSPACE_ID env var, and no workspace row records this container`,
    ]);
    const rows = await db().workspace.findMany({
      where: {
        containerId: { in: [notUuid, disagree, misnamed, byImageId, badTemplate, twinA, twinB].map((c) => c.id) },
      },
    });
    expect(rows).toEqual([]);
    expect(
      await db().workspace.count({
        where: { id: { in: [other, shared, misnamed.workspaceId, byImageId.workspaceId] } },
      }),
    ).toBe(0);

    // The operator sees every reason on the sync operation.
    const { operationId } = await enqueueSync(db(), ACTOR);
    expect(await runOperation(operationId, { db: db(), docker })).toBe("succeeded");
    const progress = await getOperationProgress(db(), operationId);
    expect(progress?.error).toContain(
      `${byImageId.name}: cannot adopt: runtime unreadable: image ${imageId} is given by ID`,
    );
    expect(progress?.error).toContain(`${twinA.name}: ambiguous: 2 containers`);
    expect(progress?.error).toContain(`${notUuid.name}: identity unreadable: env WORKSPACE_ID=`);
  });

  it("adopts the legacy workspace-template:<runtime> image", async () => {
    const legacy = `workspace-template:hermes`;
    await dockerCli(["tag", hermes!.ref, legacy]);
    const container = await platform({ image: legacy, runtime: "hermes" });
    const result = await syncFromDocker({ db: db(), docker, actor: ACTOR });
    expect(result.adopted).toContain(container.workspaceId);
    expect(await db().workspace.findUnique({ where: { id: container.workspaceId } })).toMatchObject({
      runtime: "hermes",
      runtimeImage: legacy,
      status: "online",
    });
  });
});
