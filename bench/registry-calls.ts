// Section 4: registry requests of one bulk reprovision of N workspaces on an
// UNPINNED template (a pinned one needs none; section 3 reports that). Counted
// at the proxy every image reference goes through: Fleetpin's digest
// resolutions apart from the daemon's pulls. Target: one resolution per
// template per operation, not one per workspace.
import type { BenchConfig } from "./config";
import type { DockerBench } from "./docker-bench";
import { countRequests } from "./registry-proxy";
import type { Report } from "./report";
import { bulkReprovision } from "./reprovision";

const TEMPLATE = "codex";

/** Provisions N workspaces on `:latest`, moves `:latest`, and counts the requests of the bulk reprovision onto it. */
export async function measureRegistryCalls(report: Report, bench: DockerBench, config: BenchConfig): Promise<void> {
  const count = config.registryCount;
  await bench.pushTemplateImage(TEMPLATE, "latest", `${bench.id}-latest-1`);
  const ids = await bench.provisionWorkspaces(TEMPLATE, count, `bench-${bench.id}-reg`);
  // A new :latest, so the bulk run resolves a digest its workspaces do not run yet and pulls it.
  await bench.pushTemplateImage(TEMPLATE, "latest", `${bench.id}-latest-2`);

  bench.proxy.reset();
  await bulkReprovision(bench, Math.max(...config.concurrencies), count, ids);
  report.add({
    name: "registry_requests",
    labels: { template: TEMPLATE, pinned: "no", workspaces: count },
    values: countRequests(bench.proxy.requests()),
    target: { key: "fleetpin_digest_resolutions", op: "<=", limit: 1 },
  });
  report.note("registry.requests", bench.proxy.requests());
}
