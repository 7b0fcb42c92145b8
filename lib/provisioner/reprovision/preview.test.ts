import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { NotFoundError } from "@/lib/domain/errors";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import type { DockerClient } from "@/lib/provisioner/docker/types";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable, dockerTestEnv, pushTemplateImage, randomSuffix, testNamespace } from "@/test/docker";
import { dockerCli, removeLocalImage, type PushedImage } from "@/test/images";
import { freePort } from "@/test/registries";
import { useTestDatabase } from "@/test/use-test-database";

import { createImageResolver } from "./image-resolver";
import { previewBulkReprovision, previewReprovision, UNCHANGED_NOTE } from "./preview";

const servicesUp = dockerServicesAvailable();
const ACTOR = "olga@example.com";

/** The real Docker client, recording every method called on it: a preview must call none. */
function watchedDocker(): { docker: DockerClient; calls: string[] } {
  const real = createDockerClient();
  const calls: string[] = [];
  const docker = new Proxy(real, {
    get: (target, key, receiver) => {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls.push(String(key));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { docker, calls };
}

async function imageIsLocal(ref: string): Promise<boolean> {
  return dockerCli(["image", "inspect", ref]).then(
    () => true,
    () => false,
  );
}

describe.runIf(servicesUp).each(availableBackends())("reprovision previews on %s", (backend) => {
  const db = useTestDatabase(backend, {
    truncate: ["operations", "operation_items", "workspaces", "runtime_image_pins", "audit_log"],
  });
  const namespace = testNamespace(`preview-${backend}`);
  const env = () => dockerTestEnv(namespace) as NodeJS.ProcessEnv;
  let oldImage: PushedImage;
  let newImage: PushedImage;
  let latest: PushedImage;
  let watched: ReturnType<typeof watchedDocker>;
  const resolver = (overrides: NodeJS.ProcessEnv = env()) =>
    createImageResolver({ db: db(), docker: watched.docker, env: overrides });

  beforeAll(async () => {
    oldImage = await pushTemplateImage({ namespace, runtime: "hermes", marker: `old-${randomSuffix()}` });
    newImage = await pushTemplateImage({ namespace, runtime: "hermes", marker: `new-${randomSuffix()}` });
    latest = await pushTemplateImage({
      namespace,
      runtime: "codex",
      marker: `latest-${randomSuffix()}`,
      tag: "latest",
    });
  }, 120_000);
  afterAll(async () => {
    for (const image of [oldImage, newImage, latest]) if (image) await removeLocalImage(image.digestRef);
  });
  beforeEach(async () => {
    watched = watchedDocker();
    await db()
      .$executeRaw`INSERT INTO runtime_image_pins (template_name, digest) VALUES ('hermes', ${newImage.digest})`;
  });

  async function workspace(
    name: string,
    runtime: string,
    image: PushedImage | null,
    status = "online",
  ): Promise<string> {
    const [row] = await db().$queryRaw<{ id: string }[]>`
      INSERT INTO workspaces (name, runtime, status, runtime_image, runtime_image_digest)
      VALUES (${name}, ${runtime}, ${status}::workspace_status, ${image?.digestRef ?? null}, ${image?.digest ?? null})
      RETURNING id::text AS id`;
    return row!.id;
  }

  it("names the workspace, its image and digest now and after, and says nothing else changes", async () => {
    const id = await workspace("acme-prod", "hermes", oldImage);

    const preview = await previewReprovision(db(), id, { resolver: resolver() });

    expect(preview).toEqual({
      workspaceId: id,
      workspaceName: "acme-prod",
      template: "hermes",
      status: "online",
      current: { image: oldImage.digestRef, digest: oldImage.digest },
      target: { ref: newImage.digestRef, digest: newImage.digest, source: "pin", note: null },
      problem: null,
      digestChanges: true,
      busyOperationId: null,
      unchanged: UNCHANGED_NOTE,
    });
    // It looked, and touched nothing: no Docker call, no pull.
    expect(watched.calls).toEqual([]);
    expect(await imageIsLocal(newImage.digestRef)).toBe(false);
  });

  it("resolves an unpinned template's :latest through the registry, and names the operation that already has the workspace", async () => {
    const id = await workspace("acme-dev", "codex", null);
    const { operationId } = await enqueueReprovision(db(), { workspaceIds: [id] }, ACTOR);

    const preview = await previewReprovision(db(), id, { resolver: resolver() });

    expect(preview).toMatchObject({
      current: { image: null, digest: null },
      target: { digest: latest.digest, source: "registry", note: null },
      digestChanges: null,
      busyOperationId: operationId,
    });
    expect(preview.target?.ref).toMatch(new RegExp(`workspace-template-codex@${latest.digest}$`));
  });

  it("says the target is the tag, its digest known after the pull, when the registry is unreachable", async () => {
    const id = await workspace("acme-dev", "codex", null);
    const closed = `127.0.0.1:${await freePort()}`;
    const unreachable = dockerTestEnv(namespace, {
      MOLECULE_IMAGE_REGISTRY: `${closed}/${namespace}`,
    }) as NodeJS.ProcessEnv;

    const preview = await previewReprovision(db(), id, { resolver: resolver(unreachable) });

    const tag = `${closed}/${namespace}/workspace-template-codex:latest`;
    expect(preview.target).toEqual({
      ref: tag,
      digest: null,
      source: "tag",
      note: `The registry could not be reached: the target is the tag ${tag}; its digest will be known after the pull.`,
    });
    expect(preview.problem).toBeNull();
    expect(watched.calls).toEqual([]);
  });

  it("reports what would stop the reprovision instead of failing", async () => {
    const retired = await workspace("old-one", "retired-runtime", oldImage);
    const removed = await workspace("gone", "hermes", oldImage, "removed");

    expect(await previewReprovision(db(), retired, { resolver: resolver() })).toMatchObject({
      target: null,
      problem: expect.stringMatching(/retired-runtime.*has no template image/),
    });
    expect(await previewReprovision(db(), removed, { resolver: resolver() })).toMatchObject({
      problem: "Removed workspaces cannot be reprovisioned.",
    });
    await expect(
      previewReprovision(db(), "00000000-0000-4000-8000-000000000000", { resolver: resolver() }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("groups a bulk run by template and current digest, with each template's target and who is busy elsewhere", async () => {
    await db().$executeRaw`INSERT INTO runtime_image_pins (template_name, digest) VALUES ('codex', ${latest.digest})`;
    const busy = await workspace("h1", "hermes", oldImage);
    await workspace("h2", "hermes", oldImage);
    await workspace("h3", "hermes", latest);
    await workspace("h-on-pin", "hermes", newImage);
    await workspace("c1", "codex", oldImage);
    await enqueueReprovision(db(), { workspaceIds: [busy] }, ACTOR);

    const all = await previewBulkReprovision(db(), { kind: "stale" }, { resolver: resolver() });
    const codexOnly = await previewBulkReprovision(
      db(),
      { kind: "stale", template: "codex" },
      { resolver: resolver() },
    );

    expect(all).toEqual({
      scope: { kind: "stale" },
      label: "stale workspaces",
      total: 4,
      busy: 1,
      templates: [
        {
          template: "codex",
          count: 1,
          busy: 0,
          current: [{ digest: oldImage.digest, count: 1 }],
          target: expect.objectContaining({ digest: latest.digest, source: "pin" }),
          problem: null,
        },
        {
          template: "hermes",
          count: 3,
          busy: 1,
          current: [
            { digest: oldImage.digest, count: 2 },
            { digest: latest.digest, count: 1 },
          ],
          target: { ref: newImage.digestRef, digest: newImage.digest, source: "pin", note: null },
          problem: null,
        },
      ],
      unchanged: UNCHANGED_NOTE,
    });
    expect(codexOnly).toMatchObject({
      label: "stale workspaces of codex",
      total: 1,
      templates: [{ template: "codex" }],
    });
    expect(watched.calls).toEqual([]);
  });

  it("previews the down scope, whatever the digests", async () => {
    await workspace("down-1", "hermes", newImage, "down");
    await workspace("down-2", "hermes", null, "down");
    await workspace("up", "hermes", oldImage);

    const preview = await previewBulkReprovision(db(), { kind: "down" }, { resolver: resolver() });

    expect(preview).toMatchObject({ label: "down workspaces", total: 2, busy: 0 });
    expect(preview.templates).toEqual([
      expect.objectContaining({
        template: "hermes",
        count: 2,
        current: [
          { digest: newImage.digest, count: 1 },
          { digest: null, count: 1 },
        ],
        target: expect.objectContaining({ digest: newImage.digest }),
      }),
    ]);
  });
});
