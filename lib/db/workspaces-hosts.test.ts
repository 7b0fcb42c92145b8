import { describe, expect, it } from "vitest";

import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import type { WorkspaceFilter } from "./workspace-filter";
import { listWorkspaces } from "./workspaces";

describe.each(availableBackends())("workspaces by host on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["workspaces", "docker_hosts"] });

  async function seed() {
    await db().dockerHost.createMany({
      data: [
        { name: "local", endpoint: "unix:///var/run/docker.sock", createdBy: "t" },
        { name: "eu-1", endpoint: "tcp://10.0.0.1:2376", labels: { region: "eu" }, createdBy: "t" },
        { name: "eu-2", endpoint: "tcp://10.0.0.2:2376", labels: { region: "eu", tier: "gpu" }, createdBy: "t" },
        { name: "us-1", endpoint: "tcp://10.0.0.3:2376", labels: { region: "us" }, createdBy: "t" },
      ],
    });
    for (const host of ["local", "eu-1", "eu-2", "us-1", "eu-1"])
      await db().workspace.create({ data: { name: `w-${host}`, host, status: "online" } });
  }

  it.each<[WorkspaceFilter, number]>([
    [{}, 5],
    [{ host: "eu-1" }, 2],
    [{ hostLabel: "region=eu" }, 3],
    [{ hostLabel: "tier=gpu" }, 1],
    [{ hostLabel: "region=asia" }, 0],
    [{ host: "us-1", hostLabel: "region=eu" }, 0],
  ])("%j → %i", async (filter, expected) => {
    await seed();
    const page = await listWorkspaces(db(), filter);
    expect([page.total, page.rows.length]).toEqual([expected, expected]);
    if (filter.host) expect(page.rows.every((row) => row.host === filter.host)).toBe(true);
  });

  it("each row carries its host", async () => {
    await seed();
    const page = await listWorkspaces(db(), { q: "w-us" });
    expect(page.rows.map((row) => row.host)).toEqual(["us-1"]);
  });
});
