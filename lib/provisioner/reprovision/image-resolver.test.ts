import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { type Env, registryConfig } from "@/lib/config";
import { ValidationError } from "@/lib/domain/errors";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import type { PullProgress } from "@/lib/provisioner/docker/pull-progress";
import type { DockerClient } from "@/lib/provisioner/docker/types";
import { registryClientForReference } from "@/lib/provisioner/registry/client-for-reference";
import { RegistryError } from "@/lib/provisioner/registry/errors";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable, dockerTestEnv, pushTemplateImage, randomSuffix, testNamespace } from "@/test/docker";
import { dockerCli, removeLocalImage, testRegistryHost, type PushedImage } from "@/test/images";
import { freePort } from "@/test/registries";
import { useTestDatabase } from "@/test/use-test-database";

import { createImageResolver, type DigestSource, type ImageResolverWarning } from "./image-resolver";

const servicesUp = dockerServicesAvailable();

/** The real registry client, counting digest lookups. */
function countingRegistry(env: Env) {
  const calls: string[] = [];
  const registryFor = (ref: string): DigestSource => {
    const client = registryClientForReference(ref, registryConfig(env));
    return {
      resolveDigest: (repository, tag) => {
        calls.push(`${repository}:${tag}`);
        return client.resolveDigest(repository, tag);
      },
    };
  };
  return { calls, registryFor };
}

/** The real Docker client, counting pulls (a wrapper beside the real daemon, not a fake). */
function countingDocker(): { docker: DockerClient; pulls: string[] } {
  const real = createDockerClient();
  const pulls: string[] = [];
  const docker: DockerClient = Object.create(real);
  docker.pullImage = (ref, options) => {
    pulls.push(ref);
    return real.pullImage(ref, options);
  };
  return { docker, pulls };
}

describe.runIf(servicesUp).each(availableBackends())("image resolver on %s", (backend) => {
  const db = useTestDatabase(backend);
  const namespace = testNamespace(`resolver-${backend}`);
  const env = () => dockerTestEnv(namespace) as NodeJS.ProcessEnv;
  let pinned: PushedImage;
  let latest: PushedImage;

  beforeAll(async () => {
    pinned = await pushTemplateImage({ namespace, runtime: "hermes", marker: `pinned-${randomSuffix()}` });
    latest = await pushTemplateImage({
      namespace,
      runtime: "codex",
      marker: `latest-${randomSuffix()}`,
      tag: "latest",
    });
  });
  beforeEach(async () => {
    await db().runtimeImagePin.deleteMany();
  });

  it("resolves a pinned template to its digest once per resolver", async () => {
    await db().runtimeImagePin.create({ data: { templateName: "hermes", digest: pinned.digest } });
    const { calls, registryFor } = countingRegistry(env());
    const resolver = createImageResolver({ db: db(), docker: createDockerClient(), env: env(), registryFor });

    const first = await resolver.resolve("hermes");
    expect(first).toEqual({ template: "hermes", ref: pinned.digestRef, digest: pinned.digest, source: "pin" });

    // A promotion mid-run does not split the run across two digests.
    await db().runtimeImagePin.update({
      where: { templateName: "hermes" },
      data: { digest: `sha256:${"e".repeat(64)}` },
    });
    expect(await resolver.resolve("hermes")).toBe(first);
    expect(calls).toEqual([]); // a pin needs no registry lookup
  });

  it("reprovisions to a run's target digest instead of the pin (a rollout ring), asking no registry", async () => {
    await db().runtimeImagePin.create({ data: { templateName: "hermes", digest: `sha256:${"e".repeat(64)}` } });
    const { calls, registryFor } = countingRegistry(env());
    const resolver = createImageResolver({
      db: db(),
      docker: createDockerClient(),
      env: env(),
      registryFor,
      targetDigest: pinned.digest,
    });
    expect(await resolver.resolve("hermes")).toEqual({
      template: "hermes",
      ref: pinned.digestRef,
      digest: pinned.digest,
      source: "pin",
    });
    expect(calls).toEqual([]);
  });

  it("resolves an unpinned template's :latest to one digest for the whole run", async () => {
    const { calls, registryFor } = countingRegistry(env());
    const resolver = createImageResolver({ db: db(), docker: createDockerClient(), env: env(), registryFor });

    const results = await Promise.all(Array.from({ length: 5 }, () => resolver.resolve("codex")));
    const repository = `${testRegistryHost()}/${namespace}/workspace-template-codex`;
    expect(results[0]).toEqual({
      template: "codex",
      ref: `${repository}@${latest.digest}`,
      digest: latest.digest,
      source: "registry",
    });
    expect(new Set(results).size).toBe(1);
    expect(calls).toEqual([`${namespace}/workspace-template-codex:latest`]);

    // :latest moves: this run stays put, the next run follows.
    const moved = await pushTemplateImage({
      namespace,
      runtime: "codex",
      marker: `moved-${randomSuffix()}`,
      tag: "latest",
    });
    expect((await resolver.resolve("codex")).digest).toBe(latest.digest);
    const next = createImageResolver({ db: db(), docker: createDockerClient(), env: env() });
    expect((await next.resolve("codex")).digest).toBe(moved.digest);
    latest = moved;
  });

  it("falls back to the tag when the registry is unreachable, and says so", async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const unreachableEnv = dockerTestEnv(namespace, { MOLECULE_IMAGE_REGISTRY: `${closed}/${namespace}` });
    const warnings: ImageResolverWarning[] = [];
    const resolver = createImageResolver({
      db: db(),
      docker: createDockerClient(),
      env: unreachableEnv,
      warn: (w) => warnings.push(w),
    });

    expect(await resolver.resolve("codex")).toEqual({
      template: "codex",
      ref: `${closed}/${namespace}/workspace-template-codex:latest`,
      digest: null,
      source: "tag",
    });
    expect(warnings).toEqual([expect.objectContaining({ event: "registry_unreachable", template: "codex" })]);
  });

  it("does not hide any other registry answer, such as an unknown repository", async () => {
    const resolver = createImageResolver({ db: db(), docker: createDockerClient(), env: env() });
    await expect(resolver.resolve("crewai")).rejects.toBeInstanceOf(RegistryError);
  });

  it("refuses a runtime without a template image", async () => {
    const resolver = createImageResolver({ db: db(), docker: createDockerClient(), env: env() });
    await expect(resolver.resolve("external")).rejects.toBeInstanceOf(ValidationError);
    await expect(resolver.resolve("external")).rejects.toThrow(/runtime "external" has no template image/);
  });

  it("uses the tag as is under WORKSPACE_IMAGE_LOCAL_OVERRIDE", async () => {
    await db().runtimeImagePin.create({ data: { templateName: "hermes", digest: pinned.digest } });
    const { calls, registryFor } = countingRegistry(env());
    const localEnv = dockerTestEnv(namespace, { WORKSPACE_IMAGE_LOCAL_OVERRIDE: "1" });
    const resolver = createImageResolver({ db: db(), docker: createDockerClient(), env: localEnv, registryFor });
    expect(await resolver.resolve("hermes")).toMatchObject({
      ref: `${testRegistryHost()}/${namespace}/workspace-template-hermes:latest`,
      source: "tag",
    });
    expect(calls).toEqual([]);
  });
});

describe.runIf(servicesUp)("image resolver pulls", () => {
  const db = useTestDatabase("pglite");
  const namespace = testNamespace("resolver-pull");
  const env = () => dockerTestEnv(namespace);
  let image: PushedImage;

  beforeAll(async () => {
    image = await pushTemplateImage({ namespace, runtime: "hermes", marker: `pull-${randomSuffix()}`, tag: "latest" });
  });
  afterAll(async () => {
    if (image) {
      await removeLocalImage(image.digestRef);
      await removeLocalImage(image.ref);
    }
  });

  it("pulls a missing digest once for every caller and reports progress to each", async () => {
    await removeLocalImage(image.digestRef);
    const { docker, pulls } = countingDocker();
    const resolver = createImageResolver({ db: db(), docker, env: env() });
    const seen: [PullProgress[], PullProgress[]] = [[], []];

    const results = await Promise.all([
      resolver.ensurePulled(image.digestRef, (p) => seen[0].push(p)),
      resolver.ensurePulled(image.digestRef, (p) => seen[1].push(p)),
    ]);
    expect(results).toEqual([
      { ref: image.digestRef, pulled: true },
      { ref: image.digestRef, pulled: true },
    ]);
    expect(pulls).toEqual([image.digestRef]);
    expect(seen[0].at(-1)?.percent).toBe(100);
    expect(seen[1].at(-1)?.percent).toBe(100);

    // A present digest is immutable: the next run does not pull it again.
    const next = createImageResolver({ db: db(), docker, env: env() });
    expect(await next.ensurePulled(image.digestRef)).toEqual({ ref: image.digestRef, pulled: false });
    expect(pulls).toHaveLength(1);
  });

  it("pulls a present moving tag again (seed rule), once per resolver", async () => {
    const { docker, pulls } = countingDocker();
    const resolver = createImageResolver({ db: db(), docker, env: env() });
    await resolver.ensurePulled(image.ref);
    await resolver.ensurePulled(image.ref);
    expect(pulls).toEqual([image.ref]);
    expect(await createImageResolver({ db: db(), docker, env: env() }).ensurePulled(image.ref)).toEqual({
      ref: image.ref,
      pulled: true,
    });
  });

  it("keeps using a cached moving tag when it cannot be refreshed, and says so", async () => {
    const cached = `127.0.0.1:${await freePort()}/${namespace}/workspace-template-hermes:latest`;
    await dockerCli(["pull", image.digestRef]);
    await dockerCli(["tag", image.digestRef, cached]);
    try {
      const warnings: ImageResolverWarning[] = [];
      const resolver = createImageResolver({
        db: db(),
        docker: createDockerClient(),
        env: env(),
        warn: (w) => warnings.push(w),
      });
      expect(await resolver.ensurePulled(cached)).toEqual({ ref: cached, pulled: false });
      expect(warnings).toEqual([expect.objectContaining({ event: "pull_failed_using_cached", image: cached })]);
    } finally {
      await removeLocalImage(cached);
    }
  });

  it("remembers a failed pull for the rest of the run", async () => {
    const { docker, pulls } = countingDocker();
    const resolver = createImageResolver({ db: db(), docker, env: env() });
    const missing = `${image.repository}@sha256:${"0".repeat(64)}`;
    await expect(resolver.ensurePulled(missing)).rejects.toThrow(/manifest unknown|not found/);
    await expect(resolver.ensurePulled(missing)).rejects.toThrow(/manifest unknown|not found/);
    expect(pulls).toEqual([missing]);
  });
});
