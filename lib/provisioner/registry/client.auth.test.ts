import { randomBytes } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { removeLocalImage, type PushedImage } from "@/test/images";
import {
  pushWithLogin,
  startHtpasswdRegistry,
  startTokenRegistry,
  type TestRegistry,
  type TokenRegistry,
} from "@/test/registries";

import { createRegistryClient } from "./client";
import { RegistryAuthError } from "./errors";

// Two more real docker-registry instances beside the shared anonymous one: htpasswd (Basic)
// and token (Bearer, with a token server in this process).
const haveServices = Boolean(process.env.DOCKER_HOST && process.env.TEST_REGISTRY_HOST);
if (!haveServices && process.env.FLEETPIN_REQUIRE_SERVICES === "1") {
  throw new Error(
    "DOCKER_HOST and TEST_REGISTRY_HOST must be set: run the tests through `npm test` (scripts/test-all.sh)",
  );
}

const suffix = randomBytes(4).toString("hex");
const repository = `fleetpin-test/auth-${suffix}`;
const user = { username: "fleetpin", password: `pw-${suffix}` };

describe.skipIf(!haveServices)("basic auth against a real htpasswd docker-registry", () => {
  let registry: TestRegistry;
  let image: PushedImage;

  beforeAll(async () => {
    registry = await startHtpasswdRegistry({ [user.username]: user.password });
    image = await pushWithLogin(registry.host, user, { repository, tag: "v1", marker: `basic-${suffix}` });
  });
  afterAll(async () => {
    if (image) await removeLocalImage(image.ref);
    await registry?.stop();
  });

  it("refuses anonymous access with a RegistryAuthError naming registry and reference", async () => {
    const client = createRegistryClient({ host: registry.host });
    const error = await client.resolveDigest(repository, "v1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect((error as Error).message).toBe(
      `registry ${registry.host} denied access for ${repository}:v1 (HTTP 401): the registry requires credentials and none are configured`,
    );
    await expect(client.ping()).rejects.toThrow(RegistryAuthError);
  });

  it("refuses a wrong password, without leaking it", async () => {
    const client = createRegistryClient({ host: registry.host, credentials: { ...user, password: "wrong-password" } });
    const error = await client.resolveDigest(repository, "v1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect((error as Error).message).toBe(
      `registry ${registry.host} denied access for ${repository}:v1 (HTTP 401): the configured credentials were rejected`,
    );
    expect((error as Error).message).not.toContain("wrong-password");
  });

  it("resolves with the right credentials, sending them up front once the registry asked for Basic", async () => {
    const client = createRegistryClient({ host: registry.host, credentials: user });
    expect(await client.resolveDigest(repository, "v1")).toBe(image.digest);
    expect(client.requestCount).toBe(2); // 401 challenge, then the authenticated HEAD
    expect(await client.manifestExists(repository, image.digest)).toBe(true);
    expect(await client.listTags(repository)).toEqual(["v1"]);
    await client.ping();
    expect(client.requestCount).toBe(5);
  });
});

describe.skipIf(!haveServices)("bearer-token auth against a real token-auth docker-registry", () => {
  let registry: TokenRegistry;
  let image: PushedImage;

  beforeAll(async () => {
    registry = await startTokenRegistry({ [user.username]: user.password });
    image = await pushWithLogin(registry.host, user, { repository, tag: "v1", marker: `token-${suffix}` });
  });
  afterAll(async () => {
    if (image) await removeLocalImage(image.ref);
    await registry?.stop();
  });

  const tokenRequests = () => registry.requests.filter((r) => r.account === user.username);

  it("gets one token per scope and reuses it across calls", async () => {
    registry.expiresIn = 300;
    const client = createRegistryClient({ host: registry.host, credentials: user });
    const before = registry.requests.length;
    expect(await client.resolveDigest(repository, "v1")).toBe(image.digest);
    expect(client.requestCount).toBe(3); // 401 challenge, token, authenticated HEAD
    expect(await client.resolveDigest(repository, "v1")).toBe(image.digest);
    expect(await client.manifestExists(repository, image.digest)).toBe(true);
    expect(await client.listTags(repository)).toEqual(["v1"]);
    expect(client.requestCount).toBe(6); // the cached token goes out up front
    expect(registry.requests.slice(before)).toEqual([
      { account: user.username, scopes: [`repository:${repository}:pull`], authorized: true },
    ]);
  });

  it("shares one token fetch between concurrent calls", async () => {
    const client = createRegistryClient({ host: registry.host, credentials: user });
    await client.ping(); // learns the realm; the token for "no scope" is its own
    const before = registry.requests.length;
    const digests = await Promise.all(Array.from({ length: 5 }, () => client.resolveDigest(repository, "v1")));
    expect(new Set(digests)).toEqual(new Set([image.digest]));
    expect(registry.requests.length - before).toBe(1);
  });

  it("fetches a new token once the cached one runs out (expires_in)", async () => {
    registry.expiresIn = 1;
    const client = createRegistryClient({ host: registry.host, credentials: user });
    const before = tokenRequests().length;
    await client.resolveDigest(repository, "v1");
    await client.resolveDigest(repository, "v1");
    expect(tokenRequests().length - before).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await client.resolveDigest(repository, "v1");
    expect(tokenRequests().length - before).toBe(2);
    registry.expiresIn = 300;
  });

  it("defaults to 60 s when the token server sends no expires_in", async () => {
    registry.expiresIn = undefined;
    const client = createRegistryClient({ host: registry.host, credentials: user });
    const before = tokenRequests().length;
    await client.resolveDigest(repository, "v1");
    await client.resolveDigest(repository, "v1");
    expect(tokenRequests().length - before).toBe(1);
    registry.expiresIn = 300;
  });

  it("reports bad credentials at the token server as a RegistryAuthError", async () => {
    const client = createRegistryClient({ host: registry.host, credentials: { ...user, password: "nope" } });
    const error = await client.resolveDigest(repository, "v1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^registry ${registry.host} denied access for ${repository}:v1 \\(HTTP 401\\): the token server 127\\.0\\.0\\.1:\\d+ rejected the configured credentials$`,
      ),
    );
  });

  it("reports a token without access (anonymous) as a RegistryAuthError after one retry", async () => {
    const client = createRegistryClient({ host: registry.host });
    const error = await client.resolveDigest(repository, "v1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect((error as Error).message).toBe(
      `registry ${registry.host} denied access for ${repository}:v1 (HTTP 401): anonymous access is not allowed; configure registry credentials`,
    );
    expect(client.requestCount).toBe(3); // challenge, anonymous token, refused HEAD: no loop
  });
});
