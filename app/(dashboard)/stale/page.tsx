import type { Metadata } from "next";
import { Suspense } from "react";

import { HostBanners, hostNamesForFilter } from "@/app/(dashboard)/_components/host-banners";
import { MissingDigestsBanner } from "@/app/(dashboard)/_components/missing-digests-banner";
import { ServiceBanners } from "@/app/(dashboard)/_components/service-banners";
import { BulkReprovisionDialog } from "@/app/(dashboard)/stale/_components/bulk-reprovision-dialog";
import { RecentOperations } from "@/app/(dashboard)/stale/_components/recent-operations";
import { ReprovisionDownButton } from "@/app/(dashboard)/stale/_components/reprovision-down-button";
import { StaleListSection } from "@/app/(dashboard)/stale/_components/stale-list-section";
import { StaleSummary } from "@/app/(dashboard)/stale/_components/stale-summary";
import { SectionError } from "@/components/status/section-error";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { SectionSkeleton } from "@/components/ui/skeleton";
import { canOperate, requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listRecentOperations } from "@/lib/db/operations/list-recent-operations";
import { staleSummary } from "@/lib/db/stale-fleet";
import { parseStalePageParams } from "@/lib/schemas/page-params";
import { loadSection } from "@/lib/status/load-section";

export const metadata: Metadata = { title: "Stale fleet" };

async function SummarySection({ operator }: { operator: boolean }) {
  const result = await loadSection(async () => staleSummary(await getDb()));
  if (!result.ok) return <SectionError what="the fleet summary" failure={result} />;
  const stale = result.data.reduce((sum, row) => sum + row.stale, 0);
  const down = result.data.reduce((sum, row) => sum + row.down, 0);
  return (
    <Card
      title="Fleet by template"
      description={`${stale} stale workspace${stale === 1 ? "" : "s"} across ${result.data.filter((row) => row.pinnedDigest).length} pinned templates; ${down} down (container not running although nobody stopped it)`}
      actions={
        operator && (
          <div className="flex gap-2">
            {stale > 0 && <BulkReprovisionDialog staleCount={stale} testId="reprovision-all-stale" />}
            <ReprovisionDownButton />
          </div>
        )
      }
    >
      <StaleSummary rows={result.data} canOperate={operator} />
    </Card>
  );
}

async function OperationsSection({ operator }: { operator: boolean }) {
  const result = await loadSection(async () => listRecentOperations(await getDb(), 8));
  if (!result.ok) return <SectionError what="recent operations" failure={result} />;
  return (
    <Card
      title="Recent operations"
      description="Running operations update live; open one for per-workspace results and Cancel."
    >
      <RecentOperations operations={result.data} canRetry={operator} />
    </Card>
  );
}

export default async function StalePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // The host names only feed the list's filter: that section awaits them beside its own data, so
  // reading them costs the page no round-trip before its sections start.
  const hosts = hostNamesForFilter();
  const [user, filter] = await Promise.all([requireUser(), searchParams.then(parseStalePageParams)]);
  const operator = canOperate(user);
  return (
    <>
      <PageHeader
        title="Stale fleet"
        description="Workspaces whose container runs a digest other than their template's pin, and the operations that bring them back."
      />
      <Suspense fallback={null}>
        <ServiceBanners services={["database", "docker", "registry"]} />
      </Suspense>
      <Suspense fallback={null}>
        <MissingDigestsBanner />
        <HostBanners />
      </Suspense>
      <div className="space-y-5">
        <Suspense fallback={<SectionSkeleton rows={4} label="Loading fleet summary" />}>
          <SummarySection operator={operator} />
        </Suspense>
        <Suspense fallback={<SectionSkeleton rows={3} label="Loading operations" />}>
          <OperationsSection operator={operator} />
        </Suspense>
        <Suspense key={JSON.stringify(filter)} fallback={<SectionSkeleton rows={6} label="Loading stale workspaces" />}>
          <StaleListSection filter={filter} operator={operator} hosts={hosts} />
        </Suspense>
      </div>
    </>
  );
}
