// Shared pieces of the digest ledger's tests: the ledger tables to empty, a counting proxy in
// front of the test registry (the bench's own, bench/registry-proxy.ts) and what it saw, in short.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { startCountingProxy, type CountingProxy, type RegistryRequest } from "@/bench/registry-proxy";

import { buildAndPushTestImage, dockerCli, removeLocalImage, testRegistryHost } from "./images";
import { freePort } from "./registries";

export const LEDGER_TABLES = [
  "template_digests",
  "template_digest_tags",
  "template_watch",
  "template_settings",
  "registry_backoff",
];

export const OCI_TEST_LABELS = {
  "org.opencontainers.image.revision": "0123456789abcdef0123456789abcdef01234567",
  "org.opencontainers.image.source": "https://github.com/molecule-ai/workspace-templates",
  "org.opencontainers.image.version": "1.4.2",
  "org.opencontainers.image.created": "2026-11-30T09:00:00Z",
};

/** `docker import --change` lines setting `labels`. */
export function labelChanges(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([key, value]) => `LABEL ${key}=${JSON.stringify(value)}`);
}

/** A counting proxy in front of the test registry. */
export function startRegistryProxy(): Promise<CountingProxy> {
  return startCountingProxy(testRegistryHost());
}

/** "HEAD manifests/latest", "GET manifests/sha256:…", "GET blobs/sha256:…": one line per request Fleetpin made. */
export function requestLines(requests: readonly RegistryRequest[]): string[] {
  return requests
    .filter((request) => request.client === "fleetpin")
    .map((request) => `${request.method} ${request.path.replace(/^\/v2\/.*\/(manifests|blobs|tags)\//, "$1/")}`);
}

/**
 * A second real docker-registry (scripts/services/registry.sh) whose notifications go to
 * `notifyUrl` with `Authorization: Bearer <token>`, as the README configures a production one.
 */
export async function startNotifyingRegistry(
  notifyUrl: string,
  token: string,
): Promise<{ host: string; stop: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "fleetpin-registry-notify-"));
  const port = await freePort();
  const script = path.resolve(import.meta.dirname, "../scripts/services/registry.sh");
  const run = (args: string[]) =>
    promisify(execFile)("bash", [script, ...args], {
      env: { ...process.env, REGISTRY_NOTIFY_URL: notifyUrl, REGISTRY_NOTIFY_TOKEN: token },
    });
  await run(["start", dir, String(port)]);
  return {
    host: `127.0.0.1:${port}`,
    stop: async () => {
      await run(["stop", dir]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Pushes `<namespace>/workspace-template-<runtime>:<tag>` as a manifest list of two test images:
 * one for this host's platform, one annotated linux/arm64/v8 (`docker manifest`, no network).
 */
export async function pushTestIndex(
  namespace: string,
  runtime: string,
  tag: string,
  marker: string,
): Promise<{ digest: string; children: string[] }> {
  const repository = `${namespace}/workspace-template-${runtime}`;
  const host = await buildAndPushTestImage({ repository, tag: `${tag}-host`, marker: `${marker}-host` });
  const arm = await buildAndPushTestImage({ repository, tag: `${tag}-arm`, marker: `${marker}-arm` });
  const list = `${host.repository}:${tag}`;
  await dockerCli(["manifest", "create", "--insecure", list, host.digestRef, arm.digestRef]);
  await dockerCli(["manifest", "annotate", "--os", "linux", "--arch", "arm64", "--variant", "v8", list, arm.digestRef]);
  const pushed = await dockerCli(["manifest", "push", "--insecure", "--purge", list]);
  const digest = /sha256:[a-f0-9]{64}/.exec(pushed)?.[0];
  if (!digest) throw new Error(`could not read the digest of the pushed list ${list}:\n${pushed}`);
  await removeLocalImage(host.ref);
  await removeLocalImage(arm.ref);
  return { digest, children: [host.digest, arm.digest] };
}
