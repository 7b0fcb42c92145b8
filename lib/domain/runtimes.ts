/**
 * Registry prefix and the runtime → template image table (seed `registry.go`, 4b074f63).
 *
 * Unlike the seed, nothing is computed at import: the seed's `RuntimeImages` / `DefaultImage`
 * froze the prefix at package init while `RegistryPrefix()` followed the env, so the two could
 * disagree within one process. Every function here reads the env it is given on each call.
 */

/**
 * Environment variables as read by the provisioner: `process.env` or any plain object. Wider than
 * `NodeJS.ProcessEnv`, which Next's typings make require NODE_ENV, so tests can pass `{}`.
 */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** Registry prefix used when MOLECULE_IMAGE_REGISTRY is unset, empty or blank. */
export const DEFAULT_REGISTRY_PREFIX = "ghcr.io/molecule-ai";

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

/**
 * MOLECULE_IMAGE_REGISTRY, trimmed of surrounding whitespace and trailing slashes, or the default.
 * The seed used the value verbatim, so `ghcr.io/x/` produced `ghcr.io/x//workspace-template-…`,
 * which Docker rejects; trimming is a deliberate fix.
 */
export function registryPrefix(env: EnvSource = process.env): string {
  const prefix = (env.MOLECULE_IMAGE_REGISTRY ?? "").trim().replace(/[\s/]+$/, "");
  return prefix === "" ? DEFAULT_REGISTRY_PREFIX : prefix;
}

/** `<prefix>/workspace-template-<runtime>` without a tag, or "" for an unknown runtime. */
export function runtimeImageRepository(runtime: string, env: EnvSource = process.env): string {
  return isKnownRuntime(runtime) ? `${registryPrefix(env)}/workspace-template-${runtime}` : "";
}

/** `<prefix>/workspace-template-<runtime>:latest`, or "" for an unknown runtime (never a path built from input). */
export function runtimeImage(runtime: string, env: EnvSource = process.env): string {
  const repository = runtimeImageRepository(runtime, env);
  return repository === "" ? "" : `${repository}:latest`;
}

/** Image of DEFAULT_RUNTIME under the current prefix. */
export function defaultImage(env: EnvSource = process.env): string {
  return runtimeImage(DEFAULT_RUNTIME, env);
}

/** A fresh `{ runtime: image }` map of all nine runtimes under the current prefix. */
export function runtimeImages(env: EnvSource = process.env): Record<KnownRuntime, string> {
  return Object.fromEntries(KNOWN_RUNTIMES.map((runtime) => [runtime, runtimeImage(runtime, env)])) as Record<
    KnownRuntime,
    string
  >;
}
