import { createServer, type Server } from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable, randomSuffix, testNamespace } from "@/test/docker";
import { buildAndPushTestImage, removeLocalImage } from "@/test/images";
import { LEDGER_TABLES, startNotifyingRegistry } from "@/test/ledger-fixtures";
import { useTestDatabase } from "@/test/use-test-database";
import { waitFor } from "@/test/wait-for";

import { listTemplateDigests } from "./list-ledger";
import { receiveRegistryEvents } from "./receive-events";

const T = "gemini-cli";
const TOKEN = `notify-${randomSuffix()}`;

// The real Distribution sends its own envelope and our configured Authorization header: the route's
// lib function must accept exactly that. A loopback HTTP server stands in for the route handler.
describe.skipIf(!dockerServicesAvailable()).each(availableBackends())(
  "a real registry's push notifications on %s",
  (backend) => {
    const db = useTestDatabase(backend, { truncate: LEDGER_TABLES });
    const statuses: number[] = [];
    let current: { db: Db; env: Record<string, string> } | null = null;
    let server: Server;
    let registry: { host: string; stop: () => Promise<void> };

    beforeAll(async () => {
      server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", async () => {
          if (!current) return void response.writeHead(503).end();
          const outcome = await receiveRegistryEvents(
            current.db,
            { authorization: request.headers.authorization ?? null, body: Buffer.concat(chunks).toString() },
            current.env,
          );
          statuses.push(outcome.status);
          response.writeHead(outcome.status, { "content-type": "application/json" }).end(JSON.stringify(outcome.body));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as { port: number };
      registry = await startNotifyingRegistry(`http://127.0.0.1:${port}/api/v1/registry/events`, TOKEN);
    });
    afterAll(async () => {
      await registry?.stop();
      await new Promise((resolve) => server?.close(resolve));
    });

    it("records a docker push to the registry as a push_event candidate, with its metadata", async () => {
      const namespace = testNamespace("notify");
      current = {
        db: db(),
        env: { MOLECULE_IMAGE_REGISTRY: `${registry.host}/${namespace}`, FLEETPIN_REGISTRY_EVENTS_TOKEN: TOKEN },
      };
      const image = await buildAndPushTestImage({
        repository: `${namespace}/workspace-template-${T}`,
        tag: "latest",
        marker: `notify-${randomSuffix()}`,
        registryHost: registry.host,
      });
      await removeLocalImage(image.ref);

      await waitFor(
        async () =>
          (await listTemplateDigests(db(), T)).some((row) => row.digest === image.digest && row.mediaType !== null),
        "the pushed digest with its metadata in the ledger",
        30_000,
      );

      const [row] = await listTemplateDigests(db(), T);
      expect(row).toMatchObject({
        digest: image.digest,
        firstSeenVia: "push_event",
        state: "candidate",
        tags: [{ tag: "latest", until: null }],
      });
      expect(statuses.every((status) => status === 200)).toBe(true);
    });
  },
);
