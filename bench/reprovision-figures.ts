// The figures of the reprovision section (see reprovision.ts for how each is measured).
// Pure apart from report.add/note, so what a figure says is easy to check.
import type { CallTotals } from "./call-recorder";
import { stats, type Report } from "./report";

// Issue #11: "ratio ≤ 1.1 with the gate off, at equal concurrency".
export const RATIO_TARGET = 1.1;

/** `reprovision_ms` (medians, throughput, ratio) and one `reprovision_spread_ms` line per side. */
export function reportRatio(
  report: Report,
  input: { concurrency: number; count: number; fleetpin: number[]; baseline: number[] },
): void {
  const { concurrency, count, fleetpin, baseline } = input;
  const f = stats(fleetpin);
  const b = stats(baseline);
  // Round i of each side ran back to back (alternating order), so their ratio shares that round's load.
  const paired = fleetpin.map((ms, i) => ms / baseline[i]!);
  report.add({
    name: "reprovision_ms",
    labels: { concurrency, workspaces: count, rounds: fleetpin.length, gate: "off" },
    values: {
      fleetpin_median: f.median,
      baseline_median: b.median,
      fleetpin_per_s: (count / f.median) * 1000,
      baseline_per_s: (count / b.median) * 1000,
      paired_ratio_median: stats(paired).median,
      ratio: f.median / b.median,
    },
    target: { key: "ratio", op: "<=", limit: RATIO_TARGET },
    samples: [...fleetpin, ...baseline],
  });
  for (const [side, s] of [
    ["fleetpin", f],
    ["baseline", b],
  ] as const) {
    report.add({
      name: "reprovision_spread_ms",
      labels: { concurrency, side, runs: s.runs },
      values: { median: s.median, min: s.min, p95: s.p95, max: s.max, stdev: s.stdev },
    });
  }
  report.note(`reprovision.samples.c${concurrency}`, { fleetpin, baseline, paired_ratios: paired });
}

/**
 * `reprovision_gate_ms`: the gate's time per item (median, p95, max over the N items of the
 * gated round) and what it added to the whole bulk (gated round minus the gate-off median).
 */
export function reportGate(
  report: Report,
  input: {
    concurrency: number;
    count: number;
    settleSeconds: number;
    gatedMs: number;
    gateOffMs: number[];
    items: number[];
  },
): void {
  const { concurrency, count, settleSeconds, gatedMs, gateOffMs, items } = input;
  if (items.length !== count)
    throw new Error(`the gated round measured the gate of ${items.length} items, expected ${count}`);
  const perItem = stats(items);
  const off = stats(gateOffMs).median;
  report.add({
    name: "reprovision_gate_ms",
    labels: { concurrency, workspaces: count, settle_s: settleSeconds },
    values: {
      item_median: perItem.median,
      item_p95: perItem.p95,
      item_max: perItem.max,
      bulk_gated: gatedMs,
      bulk_gate_off_median: off,
      bulk_added: gatedMs - off,
    },
    samples: items,
  });
}

/**
 * `reprovision_profile` of one side: per item, Docker calls by method and database statements,
 * and the milliseconds spent in each (summed over the calls, divided by N). At concurrency 1
 * the item's time is these plus the side's own CPU (`process_cpu_ms`: this Node process, user +
 * system, per item); the full split is kept in the JSON.
 */
export function reportProfile(
  report: Report,
  input: {
    side: "fleetpin" | "baseline";
    concurrency: number;
    count: number;
    ms: number;
    cpu: NodeJS.CpuUsage;
    docker: CallTotals;
    db: CallTotals;
  },
): void {
  const { side, concurrency, count, ms, cpu, docker, db } = input;
  const perItem = (totals: CallTotals, key: "calls" | "ms") =>
    Object.values(totals).reduce((sum, entry) => sum + entry[key], 0) / count;
  const dockerCalls = Object.fromEntries(
    Object.entries(docker)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([method, entry]) => [`docker.${method}`, entry.calls / count]),
  );
  report.add({
    name: "reprovision_profile",
    labels: { side, concurrency, workspaces: count, gate: "off", per: "item" },
    values: {
      item_ms: (ms / count) * concurrency,
      // process.cpuUsage is in microseconds.
      process_cpu_ms: (cpu.user + cpu.system) / 1000 / count,
      docker_calls: perItem(docker, "calls"),
      docker_ms: perItem(docker, "ms"),
      db_statements: perItem(db, "calls"),
      db_ms: perItem(db, "ms"),
      ...dockerCalls,
    },
  });
  const perItemTotals = (totals: CallTotals) =>
    Object.fromEntries(
      Object.entries(totals).map(([key, entry]) => [key, { calls: entry.calls / count, ms: entry.ms / count }]),
    );
  report.note(`reprovision.profile.${side}.c${concurrency}`, { docker: perItemTotals(docker), db: perItemTotals(db) });
}
