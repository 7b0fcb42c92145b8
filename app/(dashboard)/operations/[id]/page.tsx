import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";

import { ServiceBanners } from "@/app/(dashboard)/_components/service-banners";
import { OperationLive } from "@/app/(dashboard)/operations/[id]/_components/operation-live";
import { operationKindLabel, toProgressJson } from "@/components/operations/types";
import { SectionError } from "@/components/status/section-error";
import { PageHeader } from "@/components/ui/page-header";
import { canOperate, requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { quarantinedDigests } from "@/lib/db/ledger/quarantine";
import { getOperationProgress } from "@/lib/db/operations/get-operation-progress";
import { uuidSchema } from "@/lib/schemas/fields";
import { loadSection } from "@/lib/status/load-section";

export const metadata: Metadata = { title: "Operation" };

export default async function OperationPage({ params }: { params: Promise<{ id: string }> }) {
  const [user, { id }] = await Promise.all([requireUser(), params]);
  const operationId = uuidSchema.safeParse(id);
  if (!operationId.success) notFound();
  const [result, quarantined] = await Promise.all([
    loadSection(async () => getOperationProgress(await getDb(), operationId.data)),
    // Marks only: when they cannot be read the page shows the operation without them.
    loadSection(async () => quarantinedDigests(await getDb())),
  ]);
  // Flat over templates: an item names its workspace, not its template, and a digest is one image whatever its template.
  const quarantinedList = quarantined.ok ? [...quarantined.data.values()].flatMap((digests) => [...digests]) : [];
  if (result.ok && !result.data) notFound();

  return (
    <>
      <PageHeader
        title={
          result.ok && result.data
            ? `${operationKindLabel(result.data.kind)}${result.data.templateName ? ` · ${result.data.templateName}` : ""}`
            : "Operation"
        }
        description={<span className="font-mono text-xs">{operationId.data}</span>}
      />
      <Suspense fallback={null}>
        <ServiceBanners services={["database", "docker"]} />
      </Suspense>
      {result.ok && result.data ? (
        <OperationLive
          initial={toProgressJson(result.data)}
          canCancel={canOperate(user)}
          quarantinedDigests={quarantinedList}
        />
      ) : (
        !result.ok && <SectionError what="this operation" failure={result} />
      )}
    </>
  );
}
