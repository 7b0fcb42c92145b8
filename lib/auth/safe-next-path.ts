const DEFAULT_NEXT = "/pins";
const BASE = "http://fleetpin.invalid";

/**
 * Where to go after signing in: only a same-site path ("/pins?x=1"), never
 * another origin ("//evil.example", "/\\evil.example", "https://…"), never the
 * login page itself. Anything else falls back to the pins page.
 */
export function safeNextPath(raw: string | null | undefined, fallback: string = DEFAULT_NEXT): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2048) return fallback;
  // Browsers treat "\" like "/" and drop tabs/newlines, so "/\evil" or "/\t/evil" would leave the site.
  // eslint-disable-next-line no-control-regex -- finding control characters is what this test is for.
  if (!raw.startsWith("/") || raw.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(raw)) return fallback;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  // Check the normalised path, not only the raw one: "/.//evil.example" and
  // "/pins/..//evil.example" are same-site as typed but normalise to
  // "//evil.example", which a Location header sends to another host (#13 item 4).
  if (url.pathname.startsWith("//") || url.pathname.includes("\\")) return fallback;
  if (url.pathname === "/login" || url.pathname.startsWith("/login/")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** False for a path with broken percent-encoding ("%E0%A4%A", "%zz"), which names no page. */
export function isDecodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/** The sign-in page URL that returns to `nextPath` afterwards (when that path is safe). */
export function loginPath(nextPath?: string | null): string {
  const next = safeNextPath(nextPath, "");
  return next && next !== "/" ? `/login?next=${encodeURIComponent(next)}` : "/login";
}
