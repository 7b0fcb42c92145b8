import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { registryConfig } from "@/lib/config";
import { ValidationError } from "@/lib/domain/errors";
import { buildAndPushTestImage, removeLocalImage, type PushedImage } from "@/test/images";
import { freePort } from "@/test/registries";

import { createRegistryClient, type RegistryClient } from "./client";
import { registryClientForReference } from "./client-for-reference";
import {
  RegistryResponseError,
  RegistryUnreachableError,
  UnknownManifestError,
  UnknownRepositoryError,
} from "./errors";
import { MANIFEST_ACCEPT } from "./manifest";

const registryHost = process.env.TEST_REGISTRY_HOST;
const haveServices = Boolean(registryHost && process.env.DOCKER_HOST);
if (!haveServices && process.env.FLEETPIN_REQUIRE_SERVICES === "1") {
  throw new Error(
    "TEST_REGISTRY_HOST and DOCKER_HOST must be set: run the tests through `npm test` (scripts/test-all.sh)",
  );
}

const suffix = randomBytes(4).toString("hex");
const repository = `fleetpin-test/registry-client-${suffix}`;

describe.skipIf(!haveServices)("registry client against the real docker-registry", () => {
  const host = registryHost!;
  let one: PushedImage;
  let two: PushedImage;
  let client: RegistryClient;

  beforeAll(async () => {
    one = await buildAndPushTestImage({ repository, tag: "one", marker: `one-${suffix}` });
    two = await buildAndPushTestImage({ repository, tag: "two", marker: `two-${suffix}` });
  });
  afterAll(async () => {
    for (const image of [one, two]) if (image) await removeLocalImage(image.ref);
  });

  it("resolves a tag to the digest `docker push` reported, with one HEAD", async () => {
    const requests: { method: string; url: string; status?: number }[] = [];
    client = createRegistryClient({ host, onRequest: (info) => requests.push(info) });
    expect(await client.resolveDigest(repository, "one")).toBe(one.digest);
    expect(client.requestCount).toBe(1);
    expect(requests).toEqual([{ method: "HEAD", url: `http://${host}/v2/${repository}/manifests/one`, status: 200 }]);
  });

  it("gives two tags of different images two digests", async () => {
    expect(await client.resolveDigest(repository, "two")).toBe(two.digest);
    expect(one.digest).not.toBe(two.digest);
    expect(client.requestCount).toBe(2);
  });

  it("needs the Accept header: without it the registry serves schema1 under another digest", async () => {
    const bare = await fetch(`http://${host}/v2/${repository}/manifests/one`, { method: "HEAD" });
    expect(bare.headers.get("docker-content-digest")).not.toBe(one.digest);
    const accepted = await fetch(`http://${host}/v2/${repository}/manifests/one`, {
      method: "HEAD",
      headers: { accept: MANIFEST_ACCEPT },
    });
    expect(accepted.headers.get("docker-content-digest")).toBe(one.digest);
  });

  it("reports an unknown tag with its name, repository and registry", async () => {
    const error = await client.resolveDigest(repository, "missing").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownManifestError);
    expect((error as Error).message).toBe(`tag "missing" not found in ${host}/${repository}`);
  });

  it("tells an unknown repository from an unknown tag (via the tag list: the manifest 404 says MANIFEST_UNKNOWN for both)", async () => {
    const error = await client.resolveDigest(`fleetpin-test/never-pushed-${suffix}`, "latest").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownRepositoryError);
    expect((error as Error).message).toBe(
      `repository "fleetpin-test/never-pushed-${suffix}" not found on registry ${host}`,
    );
  });

  it("checks whether a digest exists", async () => {
    const absent = `sha256:${"0".repeat(64)}`;
    expect(await client.manifestExists(repository, one.digest)).toBe(true);
    expect(await client.manifestExists(repository, two.digest)).toBe(true);
    expect(await client.manifestExists(repository, absent)).toBe(false);
    expect(await client.manifestExists(`fleetpin-test/never-pushed-${suffix}`, one.digest)).toBe(false);
  });

  it("rejects a malformed digest, repository or tag before any request", async () => {
    const fresh = createRegistryClient({ host });
    await expect(fresh.manifestExists(repository, "sha256:abc")).rejects.toThrow(ValidationError);
    await expect(fresh.manifestExists(repository, `sha256:${"A".repeat(64)}`)).rejects.toThrow(ValidationError);
    await expect(fresh.resolveDigest("Upper/Case", "one")).rejects.toThrow(/invalid repository name "Upper\/Case"/);
    await expect(fresh.resolveDigest("../v2/_catalog?", "one")).rejects.toThrow(ValidationError);
    await expect(fresh.resolveDigest(repository, "one/../two")).rejects.toThrow(/invalid tag/);
    await expect(fresh.resolveDigest(repository, "")).rejects.toThrow(/invalid tag/);
    expect(fresh.requestCount).toBe(0);
  });

  it("lists tags, and names an unknown repository", async () => {
    expect((await client.listTags(repository)).sort()).toEqual(["one", "two"]);
    await expect(client.listTags(`fleetpin-test/never-pushed-${suffix}`)).rejects.toThrow(UnknownRepositoryError);
  });

  it("pings the registry", async () => {
    await expect(client.ping()).resolves.toBeUndefined();
  });

  it("picks host, plain HTTP and a shared instance from a MOLECULE_IMAGE_REGISTRY-style prefix", async () => {
    const env = { MOLECULE_IMAGE_REGISTRY: `${host}/fleetpin-test` };
    const shared = registryClientForReference(`${host}/fleetpin-test`, registryConfig(env));
    expect(shared.registry).toBe(host);
    expect(registryClientForReference(`${host}/${repository}:one`, registryConfig(env))).toBe(shared);
    expect(await shared.resolveDigest(repository, "one")).toBe(one.digest);
    const withCredentials = { ...env, FLEETPIN_REGISTRY_USERNAME: "ops", FLEETPIN_REGISTRY_PASSWORD: "pw" };
    expect(registryClientForReference(`${host}/fleetpin-test`, registryConfig(withCredentials))).not.toBe(shared);
  });
});

describe("registry client error paths", () => {
  it("reports a closed port as unreachable, naming the host, within a second or two", async () => {
    const host = `127.0.0.1:${await freePort()}`;
    const client = createRegistryClient({ host });
    const started = Date.now();
    const error = await client
      .resolveDigest("molecule-ai/workspace-template-hermes", "latest")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryUnreachableError);
    expect((error as Error).message).toBe(
      `registry ${host} is unreachable: ${host}: connection refused for molecule-ai/workspace-template-hermes:latest`,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(client.requestCount).toBe(4); // the first try and three quick retries
  });

  it("rejects a host with a scheme or a path", () => {
    expect(() => createRegistryClient({ host: "http://127.0.0.1:5000" })).toThrow(ValidationError);
    expect(() => createRegistryClient({ host: "ghcr.io/molecule-ai" })).toThrow(/expected host\[:port\]/);
  });
});

// Registry behaviours the real docker-registry never shows (rate limits, a missing digest header,
// paginated tag lists, hangs), served by a small local HTTP server beside the real-registry tests.
describe("registry client against a scripted HTTP server", () => {
  type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;
  let handler: Handler = (_req, res) => res.writeHead(500).end();
  let hits = 0;
  let host = "";
  const server = createServer((req, res) => handler(req, res, hits++));
  const manifest = Buffer.from(
    '{\n   "schemaVersion": 2,\n   "mediaType": "application/vnd.oci.image.manifest.v1+json" }\n',
  );
  const manifestDigest = `sha256:${createHash("sha256").update(manifest).digest("hex")}`;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });

  const serve = (next: Handler) => {
    hits = 0;
    handler = next;
  };

  it("waits out a 429 with Retry-After: 1, then succeeds", async () => {
    serve((_req, res, hit) => {
      if (hit === 0) res.writeHead(429, { "retry-after": "1" }).end();
      else res.writeHead(200, { "docker-content-digest": manifestDigest }).end();
    });
    const client = createRegistryClient({ host });
    const started = Date.now();
    expect(await client.resolveDigest("a/b", "latest")).toBe(manifestDigest);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(client.requestCount).toBe(2);
  });

  it("gives up on a 429 whose Retry-After is beyond the bound, without waiting", async () => {
    serve((_req, res) => res.writeHead(429, { "retry-after": "3600" }).end());
    const client = createRegistryClient({ host });
    const started = Date.now();
    const error = await client.resolveDigest("a/b", "latest").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryResponseError);
    expect((error as RegistryResponseError).status).toBe(429);
    expect((error as Error).message).toBe(
      `registry ${host} answered HTTP 429 for a/b:latest: too many requests; the registry asks to retry in 3600 s`,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(client.requestCount).toBe(1);
  });

  it("stops retrying 429s after maxRetries", async () => {
    serve((_req, res) => res.writeHead(429, { "retry-after": "0" }).end());
    const client = createRegistryClient({ host, maxRetries: 2 });
    await expect(client.resolveDigest("a/b", "latest")).rejects.toThrow(/HTTP 429/);
    expect(client.requestCount).toBe(3);
  });

  it("retries 5xx with a short backoff, and reports the registry's error code when it persists", async () => {
    serve((_req, res, hit) => {
      if (hit < 2) res.writeHead(503).end();
      else res.writeHead(200, { "docker-content-digest": manifestDigest }).end();
    });
    const client = createRegistryClient({ host });
    expect(await client.resolveDigest("a/b", "latest")).toBe(manifestDigest);
    expect(client.requestCount).toBe(3);

    serve((_req, res) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ errors: [{ code: "UNKNOWN", message: "storage\nbackend down" }] }));
    });
    const failing = createRegistryClient({ host, maxRetries: 1 });
    const error = await failing.listTags("a/b").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryResponseError);
    expect((error as Error).message).toBe(`registry ${host} answered HTTP 500 UNKNOWN for a/b: storage backend down`);
    expect(failing.requestCount).toBe(2);
  });

  it("falls back to GET and hashes the exact manifest bytes when Docker-Content-Digest is missing", async () => {
    const seen: { method?: string; accept?: string }[] = [];
    serve((req, res) => {
      seen.push({ method: req.method, accept: req.headers.accept });
      res.writeHead(200, {
        "content-type": "application/vnd.oci.image.manifest.v1+json",
        "content-length": manifest.length,
      });
      res.end(req.method === "GET" ? manifest : undefined);
    });
    const client = createRegistryClient({ host });
    expect(await client.resolveDigest("a/b", "latest")).toBe(manifestDigest);
    expect(seen).toEqual([
      { method: "HEAD", accept: MANIFEST_ACCEPT },
      { method: "GET", accept: MANIFEST_ACCEPT },
    ]);
  });

  it("refuses a GET whose Docker-Content-Digest disagrees with the bytes, and a schema1 manifest", async () => {
    const wrong = `sha256:${"1".repeat(64)}`;
    serve((req, res) => {
      res.writeHead(200, req.method === "GET" ? { "docker-content-digest": wrong } : {});
      res.end(req.method === "GET" ? manifest : undefined);
    });
    await expect(createRegistryClient({ host }).resolveDigest("a/b", "latest")).rejects.toThrow(
      /does not match the manifest bytes/,
    );

    serve((_req, res) =>
      res.writeHead(200, { "content-type": "application/vnd.docker.distribution.manifest.v1+prettyjws" }).end("{}"),
    );
    await expect(createRegistryClient({ host }).resolveDigest("a/b", "latest")).rejects.toThrow(/schema1/);
  });

  it("follows Link pagination of the tag list, and only on the same host", async () => {
    serve((req, res) => {
      const url = new URL(req.url!, `http://${host}`);
      const last = url.searchParams.get("last");
      const page = last === null ? ["a", "b"] : last === "b" ? ["c", "d"] : ["e"];
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (last === null) headers.link = '</v2/x/y/tags/list?last=b&n=2>; rel="next"';
      if (last === "b") headers.link = `<http://${host}/v2/x/y/tags/list?last=d&n=2>; rel="next"`;
      res.writeHead(200, headers).end(JSON.stringify({ name: "x/y", tags: page }));
    });
    const client = createRegistryClient({ host });
    expect(await client.listTags("x/y")).toEqual(["a", "b", "c", "d", "e"]);
    expect(client.requestCount).toBe(3);

    serve((_req, res) => {
      res.writeHead(200, { link: '<https://elsewhere.example/v2/x/y/tags/list?last=b>; rel="next"' });
      res.end(JSON.stringify({ name: "x/y", tags: ["a"] }));
    });
    await expect(createRegistryClient({ host }).listTags("x/y")).rejects.toThrow(/points to another host/);

    serve((_req, res) => res.writeHead(200).end(JSON.stringify({ name: "x/y", tags: null })));
    expect(await createRegistryClient({ host }).listTags("x/y")).toEqual([]);
  });

  it("gives up on a registry that does not answer within timeoutMs, without retrying", async () => {
    serve(() => undefined); // never answers
    const client = createRegistryClient({ host, timeoutMs: 300 });
    const error = await client.resolveDigest("a/b", "latest").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryUnreachableError);
    expect((error as Error).message).toBe(
      `registry ${host} is unreachable: ${host}: no answer within 300 ms for a/b:latest`,
    );
    expect(client.requestCount).toBe(1);
  });

  it("accepts a token server that answers access_token only (OAuth style)", async () => {
    const seen: (string | undefined)[] = [];
    serve((req, res) => {
      if (req.url?.startsWith("/token?")) {
        seen.push(req.url);
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ access_token: "opaque-token" }));
      } else if (req.headers.authorization === "Bearer opaque-token") {
        res.writeHead(200, { "docker-content-digest": manifestDigest }).end();
      } else {
        res
          .writeHead(401, {
            "www-authenticate": `Bearer realm="http://${host}/token",service="svc",scope="repository:a/b:pull"`,
          })
          .end();
      }
    });
    const client = createRegistryClient({ host });
    expect(await client.resolveDigest("a/b", "latest")).toBe(manifestDigest);
    expect(seen).toEqual(["/token?service=svc&scope=repository%3Aa%2Fb%3Apull"]);
  });

  it("reports a 401 without a usable challenge as a RegistryAuthError", async () => {
    serve((_req, res) => res.writeHead(401).end());
    await expect(createRegistryClient({ host }).resolveDigest("a/b", "latest")).rejects.toThrow(
      `registry ${host} denied access for a/b:latest (HTTP 401): the registry answered 401 with no WWW-Authenticate challenge`,
    );
    serve((_req, res) => res.writeHead(401, { "www-authenticate": 'Digest realm="x"' }).end());
    await expect(createRegistryClient({ host }).resolveDigest("a/b", "latest")).rejects.toThrow(
      /unsupported "digest" challenge/,
    );
  });

  it("maps docker.io to registry-1.docker.io with library/ (through an injected fetch)", async () => {
    const urls: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      urls.push(String(input));
      return new Response(null, { status: 200, headers: { "docker-content-digest": manifestDigest } });
    };
    const client = createRegistryClient({ host: "docker.io", fetch: fakeFetch });
    expect(await client.resolveDigest("nginx", "1.27")).toBe(manifestDigest);
    expect(urls).toEqual(["https://registry-1.docker.io/v2/library/nginx/manifests/1.27"]);
  });
});
