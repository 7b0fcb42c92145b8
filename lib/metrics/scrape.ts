import "server-only";

import { Gauge, Registry } from "prom-client";

import type { Db } from "@/lib/db/client";
import { staleSummary } from "@/lib/db/stale-fleet";

import { processMetrics } from "./process-metrics";

/**
 * The Prometheus text of one scrape: the process's counters plus gauges read from the database
 * now (a registry of their own per scrape, so two scrapes never share half-set gauges).
 */
export async function renderMetrics(db: Db, now: Date = new Date()): Promise<{ contentType: string; body: string }> {
  const [summary, pins, operations] = await Promise.all([
    staleSummary(db),
    db.runtimeImagePin.findMany({ select: { templateName: true, updatedAt: true } }),
    db.operation.groupBy({ by: ["kind", "status"], _count: { _all: true } }),
  ]);
  const scrape = new Registry();
  const workspaces = new Gauge({
    name: "fleetpin_workspaces",
    help: "Live workspaces (not removed) by template and staleness against its pin: on_pin, stale, unknown, unpinned.",
    labelNames: ["template", "staleness"],
    registers: [scrape],
  });
  const down = new Gauge({
    name: "fleetpin_workspaces_down",
    help: "Live workspaces whose container is not running although nobody stopped it, by template.",
    labelNames: ["template"],
    registers: [scrape],
  });
  for (const row of summary) {
    if (row.pinnedDigest === null) {
      workspaces.set({ template: row.templateName, staleness: "unpinned" }, row.total);
    } else {
      workspaces.set({ template: row.templateName, staleness: "on_pin" }, row.onPin);
      workspaces.set({ template: row.templateName, staleness: "stale" }, row.stale);
      workspaces.set({ template: row.templateName, staleness: "unknown" }, row.unknown);
    }
    down.set({ template: row.templateName }, row.down);
  }
  const pinAge = new Gauge({
    name: "fleetpin_pin_age_seconds",
    help: "Seconds since each template's pin last changed.",
    labelNames: ["template"],
    registers: [scrape],
  });
  for (const pin of pins)
    pinAge.set({ template: pin.templateName }, Math.max(0, (now.getTime() - pin.updatedAt.getTime()) / 1000));
  const operationCount = new Gauge({
    name: "fleetpin_operations",
    help: "Operations recorded, by kind and status (queued, running, succeeded, failed, partially_failed, cancelled).",
    labelNames: ["kind", "status"],
    registers: [scrape],
  });
  for (const row of operations) operationCount.set({ kind: row.kind, status: row.status }, row._count._all);

  const merged = Registry.merge([processMetrics().registry, scrape]);
  return { contentType: merged.contentType, body: await merged.metrics() };
}
