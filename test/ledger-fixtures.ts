// Shared pieces of the digest ledger's tests: the ledger tables to empty, a counting proxy in
// front of the test registry (the bench's own, bench/registry-proxy.ts) and what it saw, in short.
import { startCountingProxy, type CountingProxy, type RegistryRequest } from "@/bench/registry-proxy";
import { testRegistryHost } from "./images";

export const LEDGER_TABLES = ["template_digests", "template_digest_tags", "template_watch", "template_settings", "registry_backoff"];

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
