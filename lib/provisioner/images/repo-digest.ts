import { isValidDigest, tryParseImageRef } from "@/lib/domain/image-ref";

// Loopback names for one registry: the daemon records whichever name the image was pulled by
// (stack notes G10), so `localhost:5000/x` and `127.0.0.1:5000/x` are the same repository.
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** `<host>/<repository>` in the form used to compare repositories across spellings of one registry. */
export function repositoryKey(ref: string): string | null {
  // A container created from an image ID has `sha256:<hex>` as Config.Image: no repository at all.
  if (isValidDigest(ref)) return null;
  const parsed = tryParseImageRef(ref);
  if (!parsed) return null;
  let host = (parsed.registry ?? "docker.io").toLowerCase();
  if (host === "index.docker.io" || host === "registry-1.docker.io") host = "docker.io";
  const portAt = host.startsWith("[") ? host.indexOf("]:") + 1 : host.lastIndexOf(":");
  const [name, port] = portAt > 0 ? [host.slice(0, portAt), host.slice(portAt)] : [host, ""];
  if (LOOPBACK_HOSTS.has(name)) host = `loopback${port}`;
  const repository =
    host === "docker.io" && !parsed.repository.includes("/") ? `library/${parsed.repository}` : parsed.repository;
  return `${host}/${repository}`;
}

/**
 * The manifest digest of `ref`'s repository among an image's RepoDigests, or null when the
 * image was never pulled under that repository. When `ref` carries a digest that is listed,
 * that one wins (an image can be listed under several digests of one repository).
 */
export function digestForReference(ref: string, repoDigests: readonly string[]): string | null {
  const key = repositoryKey(ref);
  if (key === null) return null;
  const wanted = tryParseImageRef(ref)?.digest;
  const matches = repoDigests
    .map((entry) => tryParseImageRef(entry))
    .filter((parsed) => parsed?.digest !== undefined)
    .filter((parsed) => repositoryKey(`${parsed!.registry ? `${parsed!.registry}/` : ""}${parsed!.repository}`) === key)
    .map((parsed) => parsed!.digest as string);
  if (wanted !== undefined && matches.includes(wanted)) return wanted;
  return matches[0] ?? null;
}
