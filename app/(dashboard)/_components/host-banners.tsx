import "server-only";

import { Banner } from "@/components/ui/banner";
import { getDb } from "@/lib/db/client";
import { listHosts } from "@/lib/hosts/hosts";
import { probeHosts } from "@/lib/provisioner/docker/hosts";
import { BANNER_PROBE_TTL_MS } from "@/lib/status/probes";
import { recentResult } from "@/lib/util/recent-result";

const PROBE_TIMEOUT_MS = 2_000;

// One probe of every host shared by all renders for BANNER_PROBE_TTL_MS: pinging 20 engines on
// each page load cost more than the page's data; the Docker hosts settings page still probes afresh.
const recentHostProbe = recentResult(
  async () => probeHosts(await getDb(), { timeoutMs: PROBE_TIMEOUT_MS }),
  BANNER_PROBE_TTL_MS,
);

/**
 * One banner per registered Docker host that does not answer: its own workspaces show as
 * unknown and cannot be reprovisioned until it is back; the other hosts work as usual. Hosts are
 * pinged in parallel, each with its own short timeout, at most once per BANNER_PROBE_TTL_MS; wrap in <Suspense> so a slow host delays
 * only this, never the page. Nothing when the database itself is down (its own banner says so).
 */
export async function HostBanners() {
  let hosts;
  try {
    hosts = await recentHostProbe();
  } catch {
    return null;
  }
  const down = hosts.filter((host) => !host.reachable);
  if (down.length === 0) return null;
  return (
    <div className="mb-4 space-y-2">
      {down.map((host) => (
        <Banner
          key={host.name}
          tone="error"
          title={`Docker host "${host.name}" is unreachable`}
          testId={`banner-host-${host.name}`}
        >
          Its workspaces show as unknown, and reprovisioning them fails until it is back; other hosts are not affected.{" "}
          <span className="font-mono text-xs">({host.error})</span>
        </Banner>
      ))}
    </div>
  );
}

/** Host names for the filters; empty when they cannot be read (the filter then offers none). */
export async function hostNamesForFilter(): Promise<string[]> {
  try {
    return (await listHosts(await getDb())).map((host) => host.name);
  } catch {
    return [];
  }
}
