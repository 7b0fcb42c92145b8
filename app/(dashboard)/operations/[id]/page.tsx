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
import { getOperationProgress } from "@/lib/db/operations/get-operation-progress";
import { uuidSchema } from "@/lib/schemas/fields";
import { loadSection } from "@/lib/status/load-section";

export const metadata: Metadata = { title: "Operation" };

export default async function OperationPage({ params }: { params: Promise<{ id: string }> }) {
  const [user, { id }] = await Promise.all([requireUser(), params]);
  const operationId = uuidSchema.safeParse(id);
  if (!operationId.success) notFound();
  const result = await loadSection(async () => getOperationProgress(await getDb(), operationId.data));
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
        <OperationLive initial={toProgressJson(result.data)} canCancel={canOperate(user)} />
      ) : (
        !result.ok && <SectionError what="this operation" failure={result} />
      )}
    </>
  );
}
