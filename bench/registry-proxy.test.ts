import { randomBytes } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createRegistryClient } from "@/lib/provisioner/registry/client";
import { buildAndPushTestImage, dockerCli, removeLocalImage, type PushedImage } from "@/test/images";

import { countRequests, startCountingProxy, type CountingProxy } from "./registry-proxy";

const registryHost = process.env.TEST_REGISTRY_HOST;
const haveServices = Boolean(registryHost && process.env.DOCKER_HOST);
if (!haveServices && process.env.FLEETPIN_REQUIRE_SERVICES === "1") {
  throw new Error(
    "TEST_REGISTRY_HOST and DOCKER_HOST must be set: run the tests through `npm test` (scripts/test-all.sh)",
  );
}

describe.skipIf(!haveServices)("the bench's counting proxy in front of the real registry", () => {
  const repository = `fleetpin-test/bench-proxy-${randomBytes(4).toString("hex")}`;
  let proxy: CountingProxy;
  let image: PushedImage;

  beforeAll(async () => {
    image = await buildAndPushTestImage({ repository, tag: "latest", marker: repository });
    proxy = await startCountingProxy(registryHost!);
  });
  afterAll(async () => {
    await proxy?.close();
    if (image) await removeLocalImage(image.ref);
    if (proxy && image) await removeLocalImage(`${proxy.host}/${repository}@${image.digest}`);
  });

  it("passes Fleetpin's digest resolution through and counts it as Fleetpin's", async () => {
    proxy.reset();
    const client = createRegistryClient({ host: proxy.host, scheme: "http" });
    await expect(client.resolveDigest(repository, "latest")).resolves.toBe(image.digest);
    expect(countRequests(proxy.requests())).toMatchObject({
      fleetpin_head: 1,
      fleetpin_get: 0,
      fleetpin_digest_resolutions: 1,
      daemon_get: 0,
    });
  });

  it("passes a daemon pull through and counts it as the daemon's, not as a resolution", async () => {
    proxy.reset();
    await dockerCli(["pull", `${proxy.host}/${repository}@${image.digest}`]);
    const counts = countRequests(proxy.requests());
    expect(counts.daemon_get).toBeGreaterThan(0);
    expect(counts).toMatchObject({ fleetpin_head: 0, fleetpin_get: 0, fleetpin_digest_resolutions: 0 });
    expect(proxy.requests().every((request) => request.status < 400 || request.status === 401)).toBe(true);
  });
});
