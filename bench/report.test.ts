import { describe, expect, it } from "vitest";

import { benchConfig } from "./config";
import { countRequests, type RegistryRequest } from "./registry-proxy";
import { formatFigure, judge, round, stats } from "./report";
import { planIndexes } from "./sql-capture";

describe("stats", () => {
  it.each([
    { samples: [3], median: 3, p95: 3 },
    { samples: [4, 1, 3, 2], median: 2.5, p95: 4 },
    { samples: [5, 1, 4, 2, 3], median: 3, p95: 5 },
    { samples: Array.from({ length: 20 }, (_, i) => i + 1), median: 10.5, p95: 19 },
  ])("median and nearest-rank p95 of $samples", ({ samples, median, p95 }) => {
    expect(stats(samples)).toMatchObject({ median, p95, runs: samples.length });
  });

  it.each([
    { samples: [3], stdev: 0 },
    { samples: [2, 4, 4, 4, 5, 5, 7, 9], stdev: Math.sqrt(32 / 7) },
    { samples: [10, 10, 10], stdev: 0 },
  ])("min, max and sample standard deviation of $samples", ({ samples, stdev }) => {
    const result = stats(samples);
    expect(result.stdev).toBeCloseTo(stdev, 10);
    expect(result.min).toBe(Math.min(...samples));
    expect(result.max).toBe(Math.max(...samples));
  });

  it("refuses no samples", () => {
    expect(() => stats([])).toThrow(/at least one sample/);
  });
});

describe("figures", () => {
  it("prints labels, values, the target and its verdict on one line", () => {
    const figure = judge({
      name: "stale_count_ms",
      labels: { backend: "postgres", rows: 100000 },
      values: { median: 3.14159, p95: 4 },
      target: { key: "median", op: "<", limit: 50 },
    });
    expect(formatFigure(figure)).toBe("stale_count_ms backend=postgres rows=100000 median=3.14 p95=4 target<50 PASS");
  });

  it("names the judged value when it is not the median or a ratio, and reports a miss", () => {
    const figure = judge({
      name: "registry_requests",
      labels: { template: "codex" },
      values: { fleetpin_digest_resolutions: 3 },
      target: { key: "fleetpin_digest_resolutions", op: "<=", limit: 1 },
    });
    expect(figure.verdict).toBe("MISS");
    expect(formatFigure(figure)).toBe(
      "registry_requests template=codex fleetpin_digest_resolutions=3 target(fleetpin_digest_resolutions)<=1 MISS",
    );
  });

  it("refuses a target on a value the figure does not have", () => {
    expect(() => judge({ name: "x", labels: {}, values: {}, target: { key: "median", op: "<", limit: 1 } })).toThrow(
      /no numeric "median"/,
    );
  });

  it.each([
    [1234.56, 1235],
    [123.456, 123.5],
    [1.23456, 1.23],
    [0.000123456, 0.000123],
    [7, 7],
  ])("rounds %d to %d for reading", (value, expected) => {
    expect(round(value)).toBe(expected);
  });
});

describe("countRequests", () => {
  const request = (client: RegistryRequest["client"], method: string, path: string, status = 200): RegistryRequest => ({
    client,
    method,
    path,
    status,
  });

  it("counts one resolution for a HEAD that fell back to GET, none for digests, auth round trips or the daemon", () => {
    const counts = countRequests([
      request("fleetpin", "HEAD", "/v2/ns/workspace-template-codex/manifests/latest", 401),
      request("fleetpin", "HEAD", "/v2/ns/workspace-template-codex/manifests/latest"),
      request("fleetpin", "GET", "/v2/ns/workspace-template-codex/manifests/latest"),
      request("fleetpin", "HEAD", `/v2/ns/workspace-template-hermes/manifests/sha256:${"a".repeat(64)}`),
      request("daemon", "GET", "/v2/ns/workspace-template-codex/manifests/latest"),
      request("daemon", "GET", "/v2/"),
    ]);
    expect(counts).toEqual({
      fleetpin_head: 3,
      fleetpin_get: 1,
      daemon_head: 0,
      daemon_get: 2,
      fleetpin_digest_resolutions: 1,
    });
  });

  it("counts one resolution per tag and per repeat", () => {
    const head = (repo: string) => request("fleetpin", "HEAD", `/v2/ns/${repo}/manifests/latest`);
    expect(countRequests([head("a"), head("b"), head("a")]).fleetpin_digest_resolutions).toBe(3);
  });
});

describe("planIndexes", () => {
  it("lists the indexes a plan reads and whether it scans workspaces sequentially", () => {
    const plan = [
      "Limit  (cost=0.56..10.56 rows=51 width=546)",
      "  ->  Index Scan Backward using idx_workspaces_created on workspaces w  (cost=0.42..14757.04 rows=96993 width=413)",
      "        ->  Index Only Scan using idx_workspaces_runtime_digest on workspaces  (cost=0.42..1.00 rows=1 width=8)",
      "  ->  Bitmap Index Scan on idx_workspaces_runtime_image_digest  (cost=0.00..4.00 rows=1 width=0)",
      "  ->  Parallel Seq Scan on workspaces  (cost=0.00..5268.83 rows=40414 width=81)",
      "  ->  Seq Scan on runtime_image_pins p  (cost=0.00..1.09 rows=9 width=81)",
    ];
    expect(planIndexes(plan)).toEqual({
      indexes: ["idx_workspaces_created", "idx_workspaces_runtime_digest", "idx_workspaces_runtime_image_digest"],
      seqScanWorkspaces: true,
    });
    expect(planIndexes(plan.slice(0, 4)).seqScanWorkspaces).toBe(false);
  });
});

describe("benchConfig", () => {
  const now = new Date("2026-11-23T09:30:00.123Z");

  it("is small under BENCH_SMOKE=1 and writes to BENCH_OUTPUT", () => {
    const config = benchConfig({ BENCH_SMOKE: "1", BENCH_OUTPUT: "/tmp/x.json" }, now);
    expect(config).toMatchObject({ smoke: true, querySizes: [2000], reprovisionCount: 3, output: "/tmp/x.json" });
    expect(config.reprovisionRounds).toBeLessThanOrEqual(2);
    expect(config.concurrencies).toHaveLength(1);
  });

  it("runs the sizes of the issue by default, into a timestamped file", () => {
    const config = benchConfig({}, now);
    expect(config).toMatchObject({
      querySizes: [1000, 10000, 100000, 1000000],
      pgliteMaxRows: 100000,
      pageSizes: [10000, 100000, 1000000],
      concurrencies: [1, 4, 8],
      reprovisionCount: 20,
      reprovisionRounds: 5,
      gateSettleSeconds: 5,
    });
    expect(config.output).toBe("bench-results/bench-2026-11-23T09-30-00-123Z.json");
  });

  it("takes overrides and refuses malformed ones", () => {
    const env = {
      BENCH_SIZES: "500,20000",
      BENCH_BACKENDS: "pglite",
      BENCH_CONCURRENCY: "2",
      BENCH_N: "5",
      BENCH_SECTIONS: "queries",
      BENCH_ROUNDS: "7",
      BENCH_GATE_SETTLE_SECONDS: "2",
      BENCH_PGLITE_MAX_ROWS: "20000",
    };
    expect(benchConfig(env, now)).toMatchObject({
      querySizes: [500, 20000],
      pageSizes: [20000],
      backends: ["pglite"],
      concurrencies: [2],
      reprovisionCount: 5,
      registryCount: 5,
      sections: ["queries"],
      reprovisionRounds: 7,
      gateSettleSeconds: 2,
      pgliteMaxRows: 20000,
    });
    expect(() => benchConfig({ BENCH_SIZES: "10k" })).toThrow(/BENCH_SIZES/);
    expect(() => benchConfig({ BENCH_BACKENDS: "mysql" })).toThrow(/BENCH_BACKENDS/);
    expect(() => benchConfig({ BENCH_SECTIONS: "everything" })).toThrow(/BENCH_SECTIONS/);
    expect(() => benchConfig({ BENCH_ROUNDS: "0" })).toThrow(/BENCH_ROUNDS/);
  });
});
