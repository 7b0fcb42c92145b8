import { type Env, imagesConfig, registryConfig } from "@/lib/config";
import { errorMessage } from "@/lib/domain/errors";
import { isValidDigest, withDigest } from "@/lib/domain/image-ref";
import { isKnownRuntime, runtimeImage } from "@/lib/domain/runtimes";
import { getLogger } from "@/lib/log/logger";

/** Structured warning emitted when a pin exists but cannot be used; provisioning goes on with `:latest`. */
export type ResolveWarning =
  | { event: "pin_lookup_failed"; template: string; error: string }
  | { event: "pin_digest_invalid"; template: string; digest: string }
  | { event: "pin_image_invalid"; template: string; image: string; error: string };

/** What `resolveRuntimeImage` needs from the outside world. */
export interface ResolveRuntimeImageDeps {
  /** Stored digest for a template, or null when it has no pin (e.g. a Prisma `findUnique` on `runtime_image_pins`). */
  lookupPin: (template: string) => Promise<string | null>;
  /** An environment of the caller's own (tests); the process-wide config otherwise. */
  env?: Env;
  warn?: (event: ResolveWarning) => void;
}

function logWarning(event: ResolveWarning): void {
  getLogger({ source: "resolveRuntimeImage" }).warn(event, event.event);
}

/**
 * The digest-pinned image for a template (`<prefix>/workspace-template-<t>@sha256:…`), or "" to
 * mean "no pin, use the runtime's `:latest` image". Seed policy is availability over pinning:
 * no failure here may block a provision, so every problem degrades to "" (with a warning).
 */
export async function resolveRuntimeImage(template: string, deps: ResolveRuntimeImageDeps): Promise<string> {
  const { env } = deps;
  const warn = deps.warn ?? logWarning;

  // Checked before any lookup: unknown names never reach the database.
  if (template === "" || !isKnownRuntime(template)) return "";
  // Seed semantics: any non-empty value, even "0" or "false", means "use my local build".
  if (imagesConfig(env).localOverride) return "";

  let digest: string | null;
  try {
    digest = await deps.lookupPin(template);
  } catch (error) {
    warn({ event: "pin_lookup_failed", template, error: errorMessage(error) });
    return "";
  }
  if (digest == null) return "";

  // The seed trusted the stored value and relied on the table's CHECK constraint; a row written
  // around that constraint would have produced an unpullable reference for the whole fleet.
  if (!isValidDigest(digest)) {
    warn({ event: "pin_digest_invalid", template, digest });
    return "";
  }

  const image = runtimeImage(template, registryConfig(env).imagePrefix);
  try {
    return withDigest(image, digest);
  } catch (error) {
    // Only reachable with a MOLECULE_IMAGE_REGISTRY that is not a valid reference prefix.
    warn({ event: "pin_image_invalid", template, image, error: errorMessage(error) });
    return "";
  }
}
