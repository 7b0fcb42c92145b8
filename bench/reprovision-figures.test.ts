import { describe, expect, it } from "vitest";

import { createReport } from "./report";
import { reportGate, reportProfile, reportRatio } from "./reprovision-figures";

const quietReport = () => createReport(() => undefined);

describe("reportRatio", () => {
  it("judges the median ratio against 1.1 (a miss here), pairs rounds and gives each side's spread", () => {
    const report = quietReport();
    reportRatio(report, { concurrency: 4, count: 20, fleetpin: [1200, 1000, 1300], baseline: [1000, 1000, 1000] });
    const [ratio, fleetpin, baseline] = report.figures;
    expect(ratio).toMatchObject({
      name: "reprovision_ms",
      labels: { concurrency: 4, gate: "off", rounds: 3 },
      verdict: "MISS",
    });
    expect(ratio!.values.ratio).toBeCloseTo(1.2, 10);
    expect(ratio!.values.paired_ratio_median).toBeCloseTo(1.2, 10);
    expect(ratio!.values.fleetpin_per_s).toBeCloseTo(20 / 1.2, 10);
    expect(fleetpin).toMatchObject({
      name: "reprovision_spread_ms",
      labels: { side: "fleetpin", runs: 3 },
      values: { min: 1000, max: 1300, median: 1200 },
    });
    expect(baseline!.values.stdev).toBe(0);
  });

  it("passes at exactly the target", () => {
    const report = quietReport();
    reportRatio(report, { concurrency: 1, count: 2, fleetpin: [110], baseline: [100] });
    expect(report.figures[0]!.verdict).toBe("PASS");
  });
});

describe("reportGate", () => {
  it("gives the per-item gate time and what the gate added to the bulk", () => {
    const report = quietReport();
    reportGate(report, {
      concurrency: 2,
      count: 3,
      settleSeconds: 5,
      gatedMs: 12_000,
      gateOffMs: [2000, 1900, 2100],
      items: [5010, 5030, 5020],
    });
    expect(report.figures[0]).toMatchObject({
      name: "reprovision_gate_ms",
      labels: { settle_s: 5 },
      values: { item_median: 5020, item_max: 5030, bulk_gate_off_median: 2000, bulk_added: 10_000 },
    });
  });

  it("refuses a gated round where some items' gate was not seen", () => {
    expect(() =>
      reportGate(quietReport(), {
        concurrency: 1,
        count: 3,
        settleSeconds: 5,
        gatedMs: 1,
        gateOffMs: [1],
        items: [5000, 5000],
      }),
    ).toThrow(/2 items, expected 3/);
  });
});

describe("reportProfile", () => {
  it("divides calls and time by the number of items", () => {
    const report = quietReport();
    reportProfile(report, {
      side: "fleetpin",
      concurrency: 1,
      count: 4,
      ms: 8000,
      cpu: { user: 300_000, system: 100_000 },
      docker: { startContainer: { calls: 4, ms: 4000 }, inspectContainer: { calls: 8, ms: 40 } },
      db: { "Workspace.updateMany": { calls: 32, ms: 160 }, $executeRaw: { calls: 9, ms: 20 } },
    });
    expect(report.figures[0]!.labels).toMatchObject({ side: "fleetpin", per: "item" });
    expect(report.figures[0]!.values).toMatchObject({
      item_ms: 2000,
      process_cpu_ms: 100,
      docker_calls: 3,
      docker_ms: 1010,
      db_statements: 41 / 4,
      db_ms: 45,
      "docker.startContainer": 1,
      "docker.inspectContainer": 2,
    });
  });
});
