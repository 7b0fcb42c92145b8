// A link comparing two revisions when the image's `org.opencontainers.image.source` is a GitHub or
// GitLab repository URL. Pure.

const REVISION = /^[0-9A-Za-z._/-]{1,200}$/;

/** `https://github.com/o/r/compare/a...b` or `https://gitlab.example/g/p/-/compare/a...b`; null when unknown or unsafe. */
export function compareUrl(
  source: string | null,
  fromRevision: string | null,
  toRevision: string | null,
): string | null {
  if (!source || !fromRevision || !toRevision || fromRevision === toRevision) return null;
  if (!REVISION.test(fromRevision) || !REVISION.test(toRevision)) return null;
  const repository = repositoryUrl(source);
  if (!repository) return null;
  const range = `${encodeURIComponent(fromRevision)}...${encodeURIComponent(toRevision)}`;
  return repository.kind === "github" ? `${repository.url}/compare/${range}` : `${repository.url}/-/compare/${range}`;
}

/** The https URL of a GitHub or GitLab repository named by `source` (https, or git@host:path), else null. */
export function repositoryUrl(source: string): { kind: "github" | "gitlab"; url: string } | null {
  let text = source.trim();
  const ssh = /^git@([^:/]+):(.+)$/.exec(text);
  if (ssh) text = `https://${ssh[1]}/${ssh[2]}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" || url.username || url.password) return null;
  const host = url.hostname.toLowerCase();
  const kind = host === "github.com" ? "github" : host === "gitlab.com" || host.startsWith("gitlab.") ? "gitlab" : null;
  if (!kind) return null;
  const path = url.pathname.replace(/\.git$/, "").replace(/\/+$/, "");
  const parts = path.split("/").filter(Boolean);
  if (parts.length < 2 || parts.some((part) => !/^[\w.-]+$/.test(part))) return null;
  // GitHub repositories are owner/name; anything after is a tree or blob path.
  const kept =
    kind === "github"
      ? parts.slice(0, 2)
      : parts.slice(0, parts.indexOf("-") === -1 ? parts.length : parts.indexOf("-"));
  return { kind, url: `https://${url.host}/${kept.join("/")}` };
}
