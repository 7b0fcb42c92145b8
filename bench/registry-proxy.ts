// A counting HTTP proxy in front of the test registry. Image references in the
// bench name the proxy's address, so every request anyone makes for them (Fleetpin's
// registry client resolving a digest, dockerd pulling) passes here and is counted,
// without relying on any counter inside the code being measured.
import http from "node:http";

/** One request the registry received through the proxy. */
export type RegistryRequest = { method: string; path: string; status: number; client: "daemon" | "fleetpin" };

/** The running proxy: `host` (`127.0.0.1:<port>`) goes in image references. */
export type CountingProxy = {
  host: string;
  requests: () => RegistryRequest[];
  reset: () => void;
  close: () => Promise<void>;
};

/** Starts a proxy on a free loopback port forwarding to `upstream` (`host:port`, plain HTTP). */
export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const [upstreamHost, upstreamPort] = splitHostPort(upstream);
  let log: RegistryRequest[] = [];
  const server = http.createServer((request, response) => {
    // dockerd identifies itself as "docker/<version> go/…"; Fleetpin's client is Node's fetch.
    const client = /\bdocker\//.test(request.headers["user-agent"] ?? "") ? "daemon" : "fleetpin";
    const forward = http.request(
      { host: upstreamHost, port: upstreamPort, method: request.method, path: request.url, headers: request.headers },
      (upstreamResponse) => {
        log.push({
          method: request.method ?? "?",
          path: request.url ?? "",
          status: upstreamResponse.statusCode ?? 0,
          client,
        });
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(response);
      },
    );
    forward.on("error", (error) => {
      log.push({ method: request.method ?? "?", path: request.url ?? "", status: 502, client });
      response.writeHead(502, { "content-type": "text/plain" });
      response.end(`bench proxy: ${error.message}`);
    });
    request.pipe(forward);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("bench proxy: no address");
  return {
    host: `127.0.0.1:${address.port}`,
    requests: () => [...log],
    reset: () => {
      log = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Counts of `requests` by client and method, plus Fleetpin's digest resolutions: manifests asked
 * for by tag (not by sha256:). The client HEADs and only falls back to GET when the registry gives
 * no digest header, so per tag max(HEADs, GETs) is the number of resolutions; 401s are auth round trips.
 */
export function countRequests(requests: readonly RegistryRequest[]): Record<string, number> {
  const counts: Record<string, number> = { fleetpin_head: 0, fleetpin_get: 0, daemon_head: 0, daemon_get: 0 };
  const byTag = new Map<string, { head: number; get: number }>();
  for (const request of requests) {
    const key = `${request.client}_${request.method.toLowerCase()}`;
    counts[key] = (counts[key] ?? 0) + 1;
    if (request.client !== "fleetpin" || request.status === 401 || !/\/manifests\/(?!sha256:)[^/]+$/.test(request.path))
      continue;
    const tag = byTag.get(request.path) ?? { head: 0, get: 0 };
    if (request.method === "HEAD") tag.head += 1;
    else if (request.method === "GET") tag.get += 1;
    byTag.set(request.path, tag);
  }
  counts.fleetpin_digest_resolutions = [...byTag.values()].reduce((sum, tag) => sum + Math.max(tag.head, tag.get), 0);
  return counts;
}

function splitHostPort(hostPort: string): [string, number] {
  const index = hostPort.lastIndexOf(":");
  if (index < 0) return [hostPort, 80];
  return [hostPort.slice(0, index), Number(hostPort.slice(index + 1))];
}
