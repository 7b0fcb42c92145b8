import "server-only";

import { Banner } from "@/components/ui/banner";
import {
  BANNER_PROBE_TTL_MS,
  probeDatabase,
  probeDocker,
  probeRegistry,
  type ServiceStatus,
} from "@/lib/status/probes";
import { recentResult } from "@/lib/util/recent-result";

export type Service = "database" | "docker" | "registry";

// Shared by every render for a few seconds (BANNER_PROBE_TTL_MS): a banner says the same with an
// answer that recent, and a page no longer pings each service on every load.
const PROBES: Record<Service, () => Promise<ServiceStatus>> = {
  database: recentResult(() => probeDatabase(), BANNER_PROBE_TTL_MS),
  docker: recentResult(() => probeDocker(), BANNER_PROBE_TTL_MS),
  registry: recentResult(() => probeRegistry(), BANNER_PROBE_TTL_MS),
};

const CONSEQUENCES: Record<Service, { title: string; impact: string }> = {
  database: {
    title: "The database is unreachable",
    impact: "Pins, workspaces and the audit log cannot be read or changed.",
  },
  docker: { title: "Docker is unreachable", impact: "Reprovisioning and Sync from Docker will fail until it is back." },
  registry: { title: "The registry is unreachable", impact: "Promoting by tag or digest is refused until it answers." },
};

/**
 * One banner per service the page depends on that does not answer. Probes
 * run in parallel with short timeouts; wrap this in <Suspense> so a slow
 * service delays only the banner, never the page.
 */
export async function ServiceBanners({ services }: { services: Service[] }) {
  const results = await Promise.all(services.map(async (service) => [service, await PROBES[service]()] as const));
  const down = results.filter(([, status]) => !status.ok);
  if (down.length === 0) return null;
  return (
    <div className="mb-4 space-y-2">
      {down.map(([service, status]) => (
        <Banner key={service} tone="error" title={CONSEQUENCES[service].title} testId={`banner-${service}`}>
          {CONSEQUENCES[service].impact} {!status.ok && <span className="font-mono text-xs">({status.message})</span>}
        </Banner>
      ))}
    </div>
  );
}
