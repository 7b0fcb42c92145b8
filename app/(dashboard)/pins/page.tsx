import type { Metadata } from "next";
import { Suspense } from "react";

import { MissingDigestsBanner } from "@/app/(dashboard)/_components/missing-digests-banner";
import { ServiceBanners } from "@/app/(dashboard)/_components/service-banners";
import { ActiveRollouts } from "@/app/(dashboard)/pins/_components/active-rollouts";
import { PinsTable } from "@/app/(dashboard)/pins/_components/pins-table";
import { SectionError } from "@/components/status/section-error";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { SectionSkeleton } from "@/components/ui/skeleton";
import { canOperate, requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { quarantinedDigests } from "@/lib/db/ledger/quarantine";
import { listPinOverview } from "@/lib/db/pin-overview";
import { listTemplateTags } from "@/lib/pins/promote";
import { loadSection } from "@/lib/status/load-section";

export const metadata: Metadata = { title: "Pins" };

async function PinsSection({ operator }: { operator: boolean }) {
  const result = await loadSection(async () => {
    const db = await getDb();
    const [rows, quarantined] = await Promise.all([listPinOverview(db), quarantinedDigests(db)]);
    return { rows, quarantined };
  });
  if (!result.ok) return <SectionError what="the pins" failure={result} />;
  const { rows, quarantined } = result.data;
  const pinned = rows.filter((row) => row.pin).length;
  return (
    <Card title="Templates" description={`${rows.length} templates · ${pinned} pinned · the rest follow :latest`}>
      {/* Tag lists stream in per template, only for operators, who are the ones promoting. */}
      <PinsTable
        rows={rows}
        quarantined={quarantined}
        canOperate={operator}
        tagsOf={(template) => loadSection(() => listTemplateTags(template))}
      />
    </Card>
  );
}

export default async function PinsPage() {
  const user = await requireUser();
  return (
    <>
      <PageHeader
        title="Pins"
        description="Each template's image is pinned to a digest; reprovisioned workspaces run exactly that image. Promote a new digest, roll back, or unpin to follow :latest."
      />
      <Suspense fallback={null}>
        <ServiceBanners services={["database", "registry"]} />
      </Suspense>
      <Suspense fallback={null}>
        <MissingDigestsBanner />
      </Suspense>
      <Suspense fallback={null}>
        <ActiveRollouts />
      </Suspense>
      <Suspense fallback={<SectionSkeleton rows={9} label="Loading pins" />}>
        <PinsSection operator={canOperate(user)} />
      </Suspense>
    </>
  );
}
