import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";

import { MissingDigestsBanner } from "@/app/(dashboard)/_components/missing-digests-banner";
import { ServiceBanners } from "@/app/(dashboard)/_components/service-banners";
import { LedgerSection } from "@/app/(dashboard)/pins/_components/ledger-section";
import { PinHistoryTable } from "@/app/(dashboard)/pins/_components/pin-history-table";
import { SectionError } from "@/components/status/section-error";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { SectionSkeleton } from "@/components/ui/skeleton";
import { canOperate, requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { quarantinedDigests } from "@/lib/db/ledger/quarantine";
import { listPinHistory } from "@/lib/db/pin-overview";
import { templateFromPathSegment } from "@/lib/schemas/page-params";
import { loadSection } from "@/lib/status/load-section";

export const metadata: Metadata = { title: "Template digests and pin history" };

async function HistorySection({ template }: { template: string }) {
  const result = await loadSection(async () => {
    const db = await getDb();
    const [rows, quarantined] = await Promise.all([
      listPinHistory(db, template, 100),
      quarantinedDigests(db, template),
    ]);
    return { rows, quarantined: quarantined.get(template) ?? new Set<string>() };
  });
  if (!result.ok) return <SectionError what="the pin history" failure={result} />;
  return (
    <Card title="History" description="Newest first. Rollback restores the digest the current pin replaced.">
      <PinHistoryTable rows={result.data.rows} quarantined={result.data.quarantined} />
    </Card>
  );
}

export default async function PinHistoryPage({ params }: { params: Promise<{ template: string }> }) {
  const [user, { template }] = await Promise.all([requireUser(), params]);
  const name = templateFromPathSegment(template);
  if (name === null) notFound();
  return (
    <>
      <PageHeader
        title={`${name}: digests and pin history`}
        description={
          <>
            Every digest seen for this template, and every promote, rollback and unpin.{" "}
            <Link href="/pins" className="text-sky-700 hover:underline">
              Back to pins
            </Link>{" "}
            ·{" "}
            <Link href={`/audit?template=${encodeURIComponent(name)}`} className="text-sky-700 hover:underline">
              Audit log
            </Link>
          </>
        }
      />
      <Suspense fallback={null}>
        <ServiceBanners services={["database"]} />
      </Suspense>
      <Suspense fallback={null}>
        <MissingDigestsBanner templateName={name} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton label="Loading digests" />}>
        <LedgerSection templateName={name} canOperate={canOperate(user)} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton label="Loading history" />}>
        <HistorySection template={name} />
      </Suspense>
    </>
  );
}
