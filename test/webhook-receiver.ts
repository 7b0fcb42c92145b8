// A webhook receiver on loopback for tests: records every request (headers and raw body), and can
// hold requests unanswered until released, to play a receiver that hangs.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedRequest = { headers: IncomingHttpHeaders; body: string };

export type TestReceiver = {
  url: string;
  port: number;
  received: ReceivedRequest[];
  /** Requests answered nothing yet (hold mode). */
  held: () => number;
  /** Answers the held requests with 200, and every later one at once. */
  release: () => void;
  close: () => Promise<void>;
};

/** Starts a receiver on 127.0.0.1 (`port` 0 = any free one). `hold` keeps requests open until release(). */
export async function startReceiver(options: { port?: number; hold?: boolean } = {}): Promise<TestReceiver> {
  const received: ReceivedRequest[] = [];
  const waiting: (() => void)[] = [];
  let holding = options.hold ?? false;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      const answer = () => response.writeHead(200, { "content-type": "text/plain" }).end("ok");
      if (holding) waiting.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    held: () => waiting.length,
    release: () => {
      holding = false;
      for (const answer of waiting.splice(0)) answer();
    },
    close: async () => {
      for (const answer of waiting.splice(0)) answer();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nothing listens on (taken, then freed): a receiver that is down. */
export async function freePort(): Promise<number> {
  const receiver = await startReceiver();
  await receiver.close();
  return receiver.port;
}
