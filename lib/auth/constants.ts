// Names shared by proxy.ts (which must stay free of server-only imports) and the session code.

/** The cookie holding the session token (the database keeps only its sha256). */
export const SESSION_COOKIE = "fleetpin_session";

/**
 * Request header proxy.ts sets to the requested path, so a page that finds no
 * session can send the operator to /login?next=<that path>. Proxy overwrites
 * any value a client sends; the path is sanitised again before use.
 */
export const REQUEST_PATH_HEADER = "x-fleetpin-path";

/**
 * Request header holding the TCP peer's address, written for every request by
 * lib/auth/socket-address.ts (instrumentation.ts installs it); any value a
 * client sends under this name is overwritten. Sign-in limits key on it.
 */
export const SOCKET_ADDRESS_HEADER = "x-fleetpin-socket-address";
