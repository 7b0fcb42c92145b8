/**
 * Tags whose contents change at the registry on every publish (seed `imageTagIsMoving`, task #215).
 * Case-sensitive: `LATEST` is a different, pinned tag.
 */
export const MOVING_TAGS = ["latest", "staging", "main", "dev", "edge", "nightly", "rolling"] as const;

const MOVING = new Set<string>(MOVING_TAGS);

/**
 * True when a cached copy of `ref` may be stale: no tag, or one of MOVING_TAGS; false for any
 * `@sha256:` reference. Ported string-for-string from the seed rather than built on
 * parseImageRef, so malformed refs still get the seed's answer instead of an exception.
 * The seed's bias is deliberate: misreading moving as pinned strands the fleet on old images,
 * misreading pinned as moving only costs a pull.
 */
export function imageTagIsMoving(ref: string): boolean {
  if (ref.includes("@sha256:")) return false;
  const colon = ref.lastIndexOf(":");
  // Stopping at `/` keeps a registry port (`localhost:5000/foo`) from being read as a tag.
  const tag = colon >= 0 && !ref.slice(colon + 1).includes("/") ? ref.slice(colon + 1) : "";
  return tag === "" || MOVING.has(tag);
}
