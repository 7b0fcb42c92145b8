// Response headers against framing, MIME sniffing, referrer leaks and injected
// scripts (#13 item 6). No I/O and no server-only import: proxy.ts and
// next.config.js use them.

/** Sent with every response (next.config.js headers()). */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  // Old browsers that ignore CSP frame-ancestors; a same-site page must not frame the Promote buttons.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
];

/**
 * The Content-Security-Policy of a page, with this request's script nonce
 * (proxy.ts makes one per request; Next.js reads it back from the request's
 * CSP header and puts it on its own inline and bundle scripts).
 * - script-src: only nonce'd scripts and what they load ('strict-dynamic'), no
 *   inline handlers; `next dev` also needs eval for its refresh runtime.
 * - style-src 'unsafe-inline': React's style={{ width }} on progress bars is an
 *   inline style attribute, which a nonce cannot cover; styles cannot run script.
 * - frame-ancestors 'none': nobody frames the dashboard.
 */
export function contentSecurityPolicy(nonce: string, options: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A fresh nonce: 128 random bits, base64. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
