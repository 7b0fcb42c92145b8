import { createServer, type Server } from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { registryBackoffUntil } from "@/lib/db/ledger/watch-claims";
import { availableBackends } from "@/test/databases";
import { LEDGER_TABLES } from "@/test/ledger-fixtures";
import { useTestDatabase } from "@/test/use-test-database";

import { runWatchTick } from "./watcher";

// A registry that rate-limits: no real registry can be made to answer 429, so a loopback server
// answers every request the way Docker Hub does when the limit is hit.
describe.each(availableBackends())("watcher and a registry answering 429 on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: LEDGER_TABLES });
  let server: Server;
  let host = "";
  let requests = 0;
  let answeredAt = 0;
  beforeAll(async () => {
    server = createServer((_request, response) => {
      requests++;
      answeredAt = Date.now();
      response.writeHead(429, { "retry-after": "120", "content-type": "application/json" });
      response.end(JSON.stringify({ errors: [{ code: "TOOMANYREQUESTS", message: "slow down" }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("backs the registry off for its Retry-After, shows the error, and asks nothing until then", async () => {
    const env = { MOLECULE_IMAGE_REGISTRY: `${host}/molecule-ai`, FLEETPIN_WATCH_INTERVAL: "0" };
    requests = 0;

    const [first] = await runWatchTick({ db: db(), env, templates: ["codex"] });

    expect(first!.error).toMatch(/429/);
    expect(requests).toBe(1);
    const backoff = await registryBackoffUntil(db(), host);
    // Measured from the 429 itself, so a slow machine between the answer and this line changes nothing.
    expect(backoff!.until.getTime()).toBeGreaterThanOrEqual(answeredAt + 120_000);

    const results = await runWatchTick({ db: db(), env, templates: ["codex", "hermes"] });

    expect(requests).toBe(1);
    expect(results.map((result) => result.error)).toEqual([
      expect.stringMatching(/asked to wait until/),
      expect.stringMatching(/asked to wait until/),
    ]);
    expect((await db().templateWatch.findUnique({ where: { templateName: "hermes" } }))?.watchError).toMatch(
      /asked to wait/,
    );
  });
});
