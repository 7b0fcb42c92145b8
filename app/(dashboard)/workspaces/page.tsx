import type { Metadata } from "next";
import { Suspense } from "react";

import { HostBanners, hostNamesForFilter } from "@/app/(dashboard)/_components/host-banners";
import { ServiceBanners } from "@/app/(dashboard)/_components/service-banners";
import { WorkspaceTable } from "@/app/(dashboard)/_components/workspace-table";
import { AddToRingForm } from "@/app/(dashboard)/workspaces/_components/add-to-ring-form";
import { SyncButton } from "@/app/(dashboard)/workspaces/_components/sync-button";
import { WorkspaceFilters } from "@/app/(dashboard)/workspaces/_components/workspace-filters";
import { workspaceRings } from "@/app/(dashboard)/workspaces/_components/workspace-rings";
import { SectionError } from "@/components/status/section-error";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { hrefWith, Pagination } from "@/components/ui/pagination";
import { SectionSkeleton } from "@/components/ui/skeleton";
import { canOperate, requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { quarantinedDigests } from "@/lib/db/ledger/quarantine";
import { listWorkspaces } from "@/lib/db/workspaces";
import { parseWorkspacesPageParams } from "@/lib/schemas/page-params";
import { ADD_TO_RING_FORM_ID } from "@/lib/schemas/rollout-actions";
import type { WorkspaceFilter } from "@/lib/schemas/workspace";
import { loadSection } from "@/lib/status/load-section";

export const metadata: Metadata = { title: "Workspaces" };

async function WorkspacesSection({ filter, operator }: { filter: WorkspaceFilter; operator: boolean }) {
  const result = await loadSection(async () => {
    const db = await getDb();
    const [page, quarantined] = await Promise.all([listWorkspaces(db, filter), quarantinedDigests(db)]);
    return { ...page, quarantined, rings: await workspaceRings(db, page.rows) };
  });
  if (!result.ok) return <SectionError what="the workspaces" failure={result} />;
  const { rows, total, nextCursor, prevCursor, quarantined, rings } = result.data;
  const base = {
    template: filter.template,
    status: filter.status,
    staleness: filter.staleness,
    q: filter.q,
    host: filter.host,
    hostLabel: filter.hostLabel,
    limit: filter.limit,
  };
  return (
    <>
      {rings && operator && <AddToRingForm ringNames={rings.ringNames} />}
      <WorkspaceTable
        rows={rows}
        quarantined={quarantined}
        canOperate={operator}
        empty="No workspaces match these filters."
        rings={rings ? { ringOf: rings.ringOf, ...(operator ? { selectForm: ADD_TO_RING_FORM_ID } : {}) } : undefined}
      />
      <Pagination
        summary={`${rows.length} shown of ${total.toLocaleString("en")} matching`}
        prevHref={prevCursor ? hrefWith("/workspaces", { ...base, cursor: prevCursor, direction: "prev" }) : null}
        nextHref={nextCursor ? hrefWith("/workspaces", { ...base, cursor: nextCursor, direction: "next" }) : null}
      />
    </>
  );
}

export default async function WorkspacesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [user, filter, hosts] = await Promise.all([
    requireUser(),
    searchParams.then(parseWorkspacesPageParams),
    hostNamesForFilter(),
  ]);
  const operator = canOperate(user);
  return (
    <>
      <PageHeader
        title="Workspaces"
        description="Every workspace, the container it runs in and the digest it really runs, against its template's pin."
        actions={operator && <SyncButton />}
      />
      <Suspense fallback={null}>
        <ServiceBanners services={["database", "docker"]} />
      </Suspense>
      <Suspense fallback={null}>
        <HostBanners />
      </Suspense>
      <Card>
        <WorkspaceFilters filter={filter} hosts={hosts} />
        <Suspense key={JSON.stringify(filter)} fallback={<SectionSkeleton rows={10} label="Loading workspaces" />}>
          <WorkspacesSection filter={filter} operator={operator} />
        </Suspense>
      </Card>
    </>
  );
}
