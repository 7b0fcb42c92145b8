import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

import { SOCKET_ADDRESS_HEADER } from "./constants";

type RequestStart = { request: IncomingMessage; socket: Socket };

let stamping = false;

/**
 * Writes the TCP peer's address into every incoming request's
 * SOCKET_ADDRESS_HEADER, replacing whatever a client sent under that name.
 *
 * Why here: server actions only see headers, and the header Next.js fills
 * with the socket address (X-Forwarded-For) is only filled when the client
 * did not send one itself, so a client picks its own address key. proxy.ts
 * cannot help: Next 16 gives it no socket address (NextRequest.ip is gone)
 * and it runs after Next has filled X-Forwarded-For. Node's
 * `http.server.request.start` diagnostics channel runs for every request of
 * this process's HTTP servers before the request reaches Next, so the
 * header is always ours (#13 item 2).
 */
export function stampSocketAddresses(): void {
  if (stamping) return;
  stamping = true;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as RequestStart;
    request.headers[SOCKET_ADDRESS_HEADER] = socket.remoteAddress ?? "";
  });
}
