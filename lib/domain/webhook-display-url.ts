/**
 * A receiver URL as pages, logs and the audit log show it. Chat webhook URLs carry their credential
 * in the path (e.g. Slack's /services/T…/B…/<token>) or the query, and viewers see these pages: long
 * path segments keep their first 4 characters, the query and fragment are dropped.
 */
export function displayUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "(invalid URL)";
  }
  const path = url.pathname
    .split("/")
    .map((segment) => (segment.length > 16 ? `${segment.slice(0, 4)}…` : segment))
    .join("/");
  return `${url.origin}${path}${url.search || url.hash ? "?…" : ""}`;
}
