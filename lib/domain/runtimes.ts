/**
 * The runtime → template image table (seed `registry.go`, 4b074f63).
 *
 * Unlike the seed, nothing is computed at import: the seed's `RuntimeImages` / `DefaultImage`
 * froze the prefix at package init while `RegistryPrefix()` followed the env, so the two could
 * disagree within one process. Every function here takes the registry prefix
 * (`registryConfig().imagePrefix`, MOLECULE_IMAGE_REGISTRY as lib/config reads it) on each call.
 */

/** The nine runtimes with a template image; kept strictly alphabetical (a test pins the order). */
export const KNOWN_RUNTIMES = [
  "autogen",
  "claude-code",
  "codex",
  "crewai",
  "deepagents",
  "gemini-cli",
  "hermes",
  "langgraph",
  "openclaw",
] as const;

/** One of KNOWN_RUNTIMES. */
export type KnownRuntime = (typeof KNOWN_RUNTIMES)[number];

/** Runtime whose image is used when a workspace names none or an unknown one. */
export const DEFAULT_RUNTIME = "langgraph" satisfies KnownRuntime;

/** True when `runtime` is exactly (case-sensitively) one of KNOWN_RUNTIMES. */
export function isKnownRuntime(runtime: unknown): runtime is KnownRuntime {
  return typeof runtime === "string" && (KNOWN_RUNTIMES as readonly string[]).includes(runtime);
}

/** `<prefix>/workspace-template-<runtime>` without a tag, or "" for an unknown runtime. */
export function runtimeImageRepository(runtime: string, prefix: string): string {
  return isKnownRuntime(runtime) ? `${prefix}/workspace-template-${runtime}` : "";
}

/** `<prefix>/workspace-template-<runtime>:latest`, or "" for an unknown runtime (never a path built from input). */
export function runtimeImage(runtime: string, prefix: string): string {
  const repository = runtimeImageRepository(runtime, prefix);
  return repository === "" ? "" : `${repository}:latest`;
}

/** Image of DEFAULT_RUNTIME under the current prefix. */
export function defaultImage(prefix: string): string {
  return runtimeImage(DEFAULT_RUNTIME, prefix);
}

/** A fresh `{ runtime: image }` map of all nine runtimes under the current prefix. */
export function runtimeImages(prefix: string): Record<KnownRuntime, string> {
  return Object.fromEntries(KNOWN_RUNTIMES.map((runtime) => [runtime, runtimeImage(runtime, prefix)])) as Record<
    KnownRuntime,
    string
  >;
}
