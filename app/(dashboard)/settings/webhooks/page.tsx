import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";

import { ServiceBanners } from "@/app/(dashboard)/_components/service-banners";
import { CreateWebhookForm } from "@/app/(dashboard)/settings/webhooks/_components/create-webhook-form";
import { DeleteWebhookButton } from "@/app/(dashboard)/settings/webhooks/_components/delete-webhook-button";
import { SectionError } from "@/components/status/section-error";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { SectionSkeleton } from "@/components/ui/skeleton";
import { ACTIONS_COLUMN, DataTable, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { canOperate, requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listWebhookEndpoints } from "@/lib/db/webhooks/endpoints";
import { displayUrl } from "@/lib/domain/webhook-display-url";
import { loadSection } from "@/lib/status/load-section";

export const metadata: Metadata = { title: "Webhooks" };

async function EndpointsSection({ operator }: { operator: boolean }) {
  const result = await loadSection(async () => listWebhookEndpoints(await getDb()));
  if (!result.ok) return <SectionError what="the webhook endpoints" failure={result} />;
  return (
    <DataTable
      caption="Webhook endpoints"
      testId="webhooks-table"
      columns={["URL", "Events", "Added", operator && ACTIONS_COLUMN]}
      rows={result.data}
      empty="No endpoints yet."
    >
      {(endpoint) => (
        <tr key={endpoint.id}>
          <Td className="[overflow-wrap:anywhere]">
            <Link href={`/settings/webhooks/${endpoint.id}`} className="text-sky-700 hover:underline">
              {displayUrl(endpoint.url)}
            </Link>
          </Td>
          <Td className="text-xs">{endpoint.events.join(", ")}</Td>
          <Td className="text-xs">
            {endpoint.createdBy}, <TimeAgo date={endpoint.createdAt} />
          </Td>
          {operator && (
            <Td className="text-right">
              <DeleteWebhookButton endpointId={endpoint.id} />
            </Td>
          )}
        </tr>
      )}
    </DataTable>
  );
}

export default async function WebhooksPage() {
  const user = await requireUser();
  const operator = canOperate(user);
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Receivers Fleetpin posts to on pin changes, finished operations and failed reprovisions: signed JSON with a text line chat tools show, retried for 24 h."
      />
      <Suspense fallback={null}>
        <ServiceBanners services={["database"]} />
      </Suspense>
      <Card>
        <Suspense fallback={<SectionSkeleton rows={3} label="Loading webhook endpoints" />}>
          <EndpointsSection operator={operator} />
        </Suspense>
      </Card>
      {operator && (
        <Card title="Add an endpoint">
          <CreateWebhookForm />
        </Card>
      )}
    </>
  );
}
