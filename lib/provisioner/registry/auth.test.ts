import { randomBytes } from "node:crypto";
import { networkInterfaces } from "node:os";

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { removeLocalImage, type PushedImage } from "@/test/images";
import { pushWithLogin, startTokenRegistry, type TokenRegistry } from "@/test/registries";

import { createRegistryClient } from "./client";
import { RegistryAuthError } from "./errors";

// #13 item 10: registry credentials went to whatever token realm a registry
// named, over plain HTTP too. A real token-auth docker-registry here names a
// plain-HTTP realm on this machine's non-loopback address.
const haveServices = Boolean(process.env.DOCKER_HOST && process.env.TEST_REGISTRY_HOST);
if (!haveServices && process.env.FLEETPIN_REQUIRE_SERVICES === "1") {
  throw new Error(
    "DOCKER_HOST and TEST_REGISTRY_HOST must be set: run the tests through `npm test` (scripts/test-all.sh)",
  );
}

/** An IPv4 address of this machine that is not loopback (the token server listens there). */
function nonLoopbackAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === "IPv4" && !entry.internal)?.address;
}

const suffix = randomBytes(4).toString("hex");
const repository = `fleetpin-test/realm-${suffix}`;
const user = { username: "fleetpin", password: `pw-${suffix}` };
const address = nonLoopbackAddress();

describe.skipIf(!haveServices || !address)("credentials and a plain-HTTP token realm on another host", () => {
  let registry: TokenRegistry;
  let image: PushedImage;

  beforeAll(async () => {
    registry = await startTokenRegistry({ [user.username]: user.password }, { tokenServerHost: address });
    image = await pushWithLogin(registry.host, user, { repository, tag: "v1", marker: `realm-${suffix}` });
  });
  afterAll(async () => {
    if (image) await removeLocalImage(image.ref);
    await registry?.stop();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("are not sent there: a RegistryAuthError says why, and the token server saw no credentials", async () => {
    vi.stubEnv("FLEETPIN_INSECURE_REGISTRIES", "");
    const before = registry.credentialedRequests;
    const client = createRegistryClient({ host: registry.host, credentials: user });

    const error = await client.resolveDigest(repository, "v1").catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RegistryAuthError);
    expect((error as Error).message).toContain(`the token realm http://${address}:`);
    expect((error as Error).message).toContain("plain HTTP");
    expect((error as Error).message).toContain("FLEETPIN_INSECURE_REGISTRIES");
    expect(registry.credentialedRequests).toBe(before);
  });

  it("are sent when FLEETPIN_INSECURE_REGISTRIES lists the realm's host, as Docker does", async () => {
    vi.stubEnv("FLEETPIN_INSECURE_REGISTRIES", `registry.example, ${address}`);
    const before = registry.credentialedRequests;
    const client = createRegistryClient({ host: registry.host, credentials: user });

    expect(await client.resolveDigest(repository, "v1")).toBe(image.digest);
    expect(registry.credentialedRequests).toBe(before + 1);
  });
});
