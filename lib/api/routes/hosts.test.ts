import { describe, expect, it } from "vitest";

import { callRoute, makeToken, testApiDeps } from "@/test/api-client";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable } from "@/test/docker";
import { useTestDatabase } from "@/test/use-test-database";

import { addHostRoute, deleteHostRoute, listHostsRoute } from "./hosts";

// The test's own dockerd (DOCKER_HOST of the services) registered under another name, and a dead socket.
const LIVE = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
const DEAD = "unix:///tmp/fleetpin-no-such-docker.sock";

describe.skipIf(!dockerServicesAvailable()).each(availableBackends())("API v1 Docker hosts on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["api_tokens", "audit_log", "docker_hosts", "workspaces"] });

  it("registers, lists with reachability, filters by label and unregisters a host, audited", async () => {
    const { token } = await makeToken(db(), "operator");
    const deps = testApiDeps(db);
    const added = await callRoute(
      addHostRoute,
      deps,
      "/hosts",
      {},
      {
        token,
        body: { name: "eu-1", endpoint: LIVE, labels: { region: "eu" }, concurrency: 2 },
      },
    );
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({
      name: "eu-1",
      endpoint: LIVE,
      labels: { region: "eu" },
      concurrency: 2,
      tls: false,
    });
    await callRoute(addHostRoute, deps, "/hosts", {}, { token, body: { name: "gone", endpoint: DEAD } });

    const listed = await callRoute(listHostsRoute, deps, "/hosts", {}, { token });
    expect(listed.status).toBe(200);
    const byName = Object.fromEntries(listed.body.hosts.map((h: { name: string }) => [h.name, h]));
    expect(byName["eu-1"]).toMatchObject({ reachable: true, error: null });
    expect(byName.gone).toMatchObject({ reachable: false, error: expect.any(String) });
    const eu = await callRoute(listHostsRoute, deps, "/hosts", {}, { token, query: { label: "region=eu" } });
    expect(eu.body.hosts.map((h: { name: string }) => h.name)).toEqual(["eu-1"]);

    const duplicate = await callRoute(
      addHostRoute,
      deps,
      "/hosts",
      {},
      { token, body: { name: "eu-2", endpoint: LIVE } },
    );
    expect(duplicate.status).toBe(409);

    const deleted = await callRoute(deleteHostRoute, deps, "/hosts/gone", { name: "gone" }, { token });
    expect(deleted).toMatchObject({ status: 200, body: { deleted: true, name: "gone" } });
    const audit = await db().auditLog.findMany({ where: { targetType: "host" }, orderBy: { id: "asc" } });
    expect(audit.map((row) => row.action)).toEqual(expect.arrayContaining(["host.add", "host.delete"]));
  });
});
