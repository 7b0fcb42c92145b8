// Section "watcher" (issue 17): registry requests of the tag watcher, counted at the counting
// proxy every image reference goes through. Nine templates with a :latest each; per tick when
// nothing moved (targets: 9 HEAD, 0 GET) and for one template whose :latest moved (target: at
// most 3 requests, its config blob included, and none of them again on the next tick).
import { randomBytes } from "node:crypto";

import { KNOWN_RUNTIMES } from "@/lib/domain/runtimes";
import { runWatchTick } from "@/lib/ledger/watcher";
import { buildAndPushTestImage, removeLocalImage, testRegistryHost } from "@/test/images";

import type { BenchConfig } from "./config";
import { openBenchDatabase } from "./databases";
import { startCountingProxy, type RegistryRequest } from "./registry-proxy";
import type { Report } from "./report";

export async function measureWatcher(report: Report, config: BenchConfig): Promise<void> {
  const id = randomBytes(3).toString("hex");
  const namespace = `fleetpin-bench-watch-${id}`;
  const registry = testRegistryHost();
  const proxy = await startCountingProxy(registry);
  const database = await openBenchDatabase("postgres");
  // Interval 0: every tick claims every template (the claim gap is a share of the interval).
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MOLECULE_IMAGE_REGISTRY: `${proxy.host}/${namespace}`,
    FLEETPIN_WATCH_INTERVAL: "0",
  };
  const refs: string[] = [];
  const push = async (template: string, marker: string) => {
    const pushed = await buildAndPushTestImage({
      repository: `${namespace}/workspace-template-${template}`,
      tag: "latest",
      marker,
      registryHost: registry,
    });
    refs.push(pushed.ref);
    return pushed.digest;
  };
  try {
    for (const template of KNOWN_RUNTIMES) await push(template, `${id}-${template}-1`);
    const tick = () => runWatchTick({ db: database.db, env, templates: KNOWN_RUNTIMES });

    proxy.reset();
    const learned = await tick();
    report.add({
      name: "watcher_requests",
      labels: { case: "first_tick", templates: KNOWN_RUNTIMES.length },
      values: { ...counts(proxy.requests()), new_digests: learned.reduce((sum, r) => sum + r.newDigests.length, 0) },
    });

    const rounds = config.smoke ? 2 : 5;
    const unchanged: Record<string, number>[] = [];
    for (let round = 0; round < rounds; round++) {
      proxy.reset();
      const results = await tick();
      if (results.some((result) => result.error || result.newDigests.length > 0))
        throw new Error(`watcher bench: an unchanged tick reported ${JSON.stringify(results)}`);
      unchanged.push(counts(proxy.requests()));
    }
    report.add({
      name: "watcher_requests",
      labels: { case: "unchanged", templates: KNOWN_RUNTIMES.length, ticks: rounds },
      values: {
        head_per_tick: max(unchanged, "head"),
        get_per_tick: max(unchanged, "get"),
        total_per_tick: max(unchanged, "total"),
      },
      target: { key: "get_per_tick", op: "=", limit: 0 },
    });
    // The other half of the target: exactly one HEAD per template per tick, in every tick.
    report.add({
      name: "watcher_requests",
      labels: { case: "unchanged_head", templates: KNOWN_RUNTIMES.length, ticks: rounds },
      values: { fewest_head_per_tick: min(unchanged, "head"), head_per_tick: max(unchanged, "head") },
      target: { key: "head_per_tick", op: "=", limit: KNOWN_RUNTIMES.length },
    });

    const moved = KNOWN_RUNTIMES[0];
    const digest = await push(moved, `${id}-${moved}-2`);
    proxy.reset();
    const afterPush = await tick();
    const forMoved = proxy.requests().filter((request) => request.path.includes(`/workspace-template-${moved}/`));
    if (!afterPush.find((result) => result.templateName === moved)?.newDigests.includes(digest))
      throw new Error("watcher bench: the moved :latest was not recorded");
    proxy.reset();
    await tick();
    const nextTick = proxy.requests().filter((request) => request.path.includes(`/workspace-template-${moved}/`));
    report.add({
      name: "watcher_requests",
      labels: { case: "new_digest", template: moved },
      values: {
        ...counts(forMoved),
        config_blob: forMoved.filter((r) => r.path.includes("/blobs/")).length,
        next_tick_total: nextTick.length,
        next_tick_get: nextTick.filter((r) => r.method === "GET").length,
      },
      target: { key: "total", op: "<=", limit: 3 },
    });
    report.note("watcher.requests_new_digest", forMoved);
  } finally {
    for (const ref of refs) await removeLocalImage(ref);
    await database.close();
    await proxy.close();
  }
}

function counts(requests: readonly RegistryRequest[]): Record<string, number> {
  const own = requests.filter((request) => request.client === "fleetpin");
  return {
    head: own.filter((r) => r.method === "HEAD").length,
    get: own.filter((r) => r.method === "GET").length,
    total: own.length,
  };
}

function max(rows: readonly Record<string, number>[], key: string): number {
  return Math.max(...rows.map((row) => row[key] ?? 0));
}

function min(rows: readonly Record<string, number>[], key: string): number {
  return Math.min(...rows.map((row) => row[key] ?? 0));
}
