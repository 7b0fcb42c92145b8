import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createDockerClient } from "@/lib/provisioner/docker/client";
import { RegistryTransport } from "@/lib/provisioner/registry/transport";
import { reprovisionWorkspace } from "@/lib/provisioner/reprovision/reprovision";
import { availableBackends } from "@/test/databases";
import { randomSuffix } from "@/test/docker";
import { useTestDatabase } from "@/test/use-test-database";

import { renderMetrics } from "./scrape";

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const NOW = new Date("2026-12-01T12:00:00Z");

/** The value of one series in Prometheus text, e.g. value(text, 'fleetpin_workspaces{template="hermes",staleness="stale"}'). */
function value(text: string, series: string): number | undefined {
  const line = text.split("\n").find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(availableBackends())("metrics on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["runtime_image_pins", "workspaces", "operations", "audit_log"] });

  beforeEach(async () => {
    await db().runtimeImagePin.createMany({
      data: [
        { templateName: "hermes", digest: digest("a"), updatedAt: new Date("2026-12-01T11:00:00Z") },
        { templateName: "claude-code", digest: digest("b"), updatedAt: new Date("2026-11-30T12:00:00Z") },
      ],
    });
    await db().workspace.createMany({
      data: [
        { name: "h1", runtime: "hermes", status: "online", runtimeImageDigest: digest("a") },
        { name: "h2", runtime: "hermes", status: "online", runtimeImageDigest: digest("a") },
        { name: "h3", runtime: "hermes", status: "down", runtimeImageDigest: digest("c") },
        { name: "h4", runtime: "hermes", status: "online", runtimeImageDigest: null },
        { name: "h5", runtime: "hermes", status: "removed", runtimeImageDigest: digest("c") },
        { name: "c1", runtime: "claude-code", status: "online", runtimeImageDigest: digest("b") },
        { name: "l1", runtime: "langgraph", status: "online", runtimeImageDigest: digest("d") },
        { name: "l2", runtime: "langgraph", status: "online", runtimeImageDigest: digest("e") },
      ],
    });
    await db().operation.createMany({
      data: [
        { kind: "bulk_reprovision", status: "succeeded", requestedBy: "a" },
        { kind: "bulk_reprovision", status: "succeeded", requestedBy: "a" },
        { kind: "bulk_reprovision", status: "partially_failed", requestedBy: "a" },
        { kind: "sync", status: "failed", requestedBy: "a" },
      ],
    });
  });

  it("reads the fleet, the pins' age and the operations from the database at scrape time", async () => {
    const { contentType, body } = await renderMetrics(db(), NOW);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const expected: [string, number][] = [
      ['fleetpin_workspaces{template="hermes",staleness="on_pin"}', 2],
      ['fleetpin_workspaces{template="hermes",staleness="stale"}', 1],
      ['fleetpin_workspaces{template="hermes",staleness="unknown"}', 1],
      ['fleetpin_workspaces{template="claude-code",staleness="on_pin"}', 1],
      ['fleetpin_workspaces{template="claude-code",staleness="stale"}', 0],
      ['fleetpin_workspaces{template="langgraph",staleness="unpinned"}', 2],
      ['fleetpin_workspaces_down{template="hermes"}', 1],
      ['fleetpin_workspaces_down{template="langgraph"}', 0],
      ['fleetpin_pin_age_seconds{template="hermes"}', 3600],
      ['fleetpin_pin_age_seconds{template="claude-code"}', 86400],
      ['fleetpin_operations{kind="bulk_reprovision",status="succeeded"}', 2],
      ['fleetpin_operations{kind="bulk_reprovision",status="partially_failed"}', 1],
      ['fleetpin_operations{kind="sync",status="failed"}', 1],
    ];
    for (const [series, expectedValue] of expected)
      expect([series, value(body, series)]).toEqual([series, expectedValue]);
    expect(body).not.toContain('staleness="unpinned",template="hermes"');
    expect(body).toContain("# TYPE fleetpin_workspaces gauge");
  });

  it("observes a failed reprovision's duration and counts the Docker error behind it", async () => {
    const before = (await renderMetrics(db(), NOW)).body;
    const ws = await db().workspace.findFirstOrThrow({ where: { name: "h1" } });
    const docker = createDockerClient({ dockerHost: `unix:///tmp/fleetpin-no-docker-${randomSuffix()}.sock` });
    await expect(
      reprovisionWorkspace(ws.id, {
        db: db(),
        docker,
        actor: "a",
        env: { MOLECULE_IMAGE_REGISTRY: "127.0.0.1:9/none" },
      }),
    ).rejects.toThrow();

    const after = (await renderMetrics(db(), NOW)).body;
    const count = 'fleetpin_reprovision_duration_seconds_count{kind="reprovision",outcome="failed"}';
    const unreachable = 'fleetpin_docker_errors_total{kind="unreachable"}';
    expect((value(after, count) ?? 0) - (value(before, count) ?? 0)).toBe(1);
    expect((value(after, unreachable) ?? 0) - (value(before, unreachable) ?? 0)).toBeGreaterThanOrEqual(1);
    expect(
      value(after, 'fleetpin_reprovision_duration_seconds_bucket{le="+Inf",kind="reprovision",outcome="failed"}'),
    ).toBe(value(after, count));
  });
});

describe("registry and Docker counters", () => {
  let server: Server;
  let host: string;

  beforeAll(async () => {
    // A registry that is rate limiting: every request gets 429 with a zero Retry-After.
    server = createServer((_request, response) => response.writeHead(429, { "retry-after": "0" }).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("counts every registry request by host and status, 429s and their retries included", async () => {
    const transport = new RegistryTransport({ maxRetries: 2 });
    const response = await transport.send(
      { method: "GET", url: `http://${host}/v2/`, target: { registry: host } },
      undefined,
    );
    expect(response.status).toBe(429);
    const { body } = await renderMetricsWithoutDatabase();
    expect(value(body, `fleetpin_registry_requests_total{host="${host}",status="429"}`)).toBe(3);
  });

  it("counts a Docker error by kind where it is translated", async () => {
    const { body: before } = await renderMetricsWithoutDatabase();
    await expect(createDockerClient().startContainer(`fleetpin-missing-${randomSuffix()}`)).rejects.toThrow();
    const { body: after } = await renderMetricsWithoutDatabase();
    const series = 'fleetpin_docker_errors_total{kind="not_found"}';
    expect((value(after, series) ?? 0) - (value(before, series) ?? 0)).toBe(1);
  });
});

// The process counters alone, as /metrics shows them next to the database gauges.
async function renderMetricsWithoutDatabase() {
  const { processMetrics } = await import("./process-metrics");
  return { body: await processMetrics().registry.metrics() };
}
