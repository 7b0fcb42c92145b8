import type { Metadata } from "next";
import { Suspense } from "react";

import { ServiceBanners } from "@/app/(dashboard)/_components/service-banners";
import { AuditFilters } from "@/app/(dashboard)/audit/_components/audit-filters";
import { AuditTable } from "@/app/(dashboard)/audit/_components/audit-table";
import { SectionError } from "@/components/status/section-error";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { hrefWith, Pagination } from "@/components/ui/pagination";
import { SectionSkeleton } from "@/components/ui/skeleton";
import { requireUser } from "@/lib/auth/session";
import { listAuditEntries } from "@/lib/db/audit-log";
import { getDb } from "@/lib/db/client";
import type { AuditFilter } from "@/lib/schemas/audit";
import { parseAuditPageParams } from "@/lib/schemas/page-params";
import { loadSection } from "@/lib/status/load-section";

export const metadata: Metadata = { title: "Audit log" };

async function AuditSection({ filter }: { filter: AuditFilter }) {
  const result = await loadSection(async () => listAuditEntries(await getDb(), filter));
  if (!result.ok) return <SectionError what="the audit log" failure={result} />;
  const { rows, nextCursor } = result.data;
  const base = { template: filter.template, action: filter.action };
  return (
    <>
      <AuditTable rows={rows} />
      <Pagination
        summary={filter.cursor ? `${rows.length} older entries` : `${rows.length} most recent entries`}
        prevHref={filter.cursor ? hrefWith("/audit", base) : null}
        prevLabel="↑ Newest"
        nextHref={nextCursor ? hrefWith("/audit", { ...base, cursor: nextCursor }) : null}
        nextLabel="Older →"
      />
    </>
  );
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [, filter] = await Promise.all([requireUser(), searchParams.then(parseAuditPageParams)]);
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every promote, rollback, unpin and reprovision: who, when, why, and what changed."
      />
      <Suspense fallback={null}>
        <ServiceBanners services={["database"]} />
      </Suspense>
      <Card>
        <AuditFilters filter={filter} />
        <Suspense key={JSON.stringify(filter)} fallback={<SectionSkeleton rows={10} label="Loading audit log" />}>
          <AuditSection filter={filter} />
        </Suspense>
      </Card>
    </>
  );
}
