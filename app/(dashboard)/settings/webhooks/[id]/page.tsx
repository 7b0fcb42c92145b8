import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { DataTable, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { getWebhookEndpoint } from "@/lib/db/webhooks/endpoints";
import { NotFoundError } from "@/lib/domain/errors";
import { displayUrl } from "@/lib/domain/webhook-display-url";
import type { WebhookDeliveryStatus } from "@/lib/generated/prisma/client";

export const metadata: Metadata = { title: "Webhook deliveries" };

const TONE: Record<WebhookDeliveryStatus, BadgeTone> = { pending: "warning", delivered: "success", failed: "danger" };

export default async function WebhookEndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const [, { id }] = await Promise.all([requireUser(), params]);
  const found = await getWebhookEndpoint(await getDb(), id).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const { endpoint, deliveries } = found;
  return (
    <>
      <PageHeader
        title={<span className="[overflow-wrap:anywhere]">{displayUrl(endpoint.url)}</span>}
        description={`Events: ${endpoint.events.join(", ")}. Added by ${endpoint.createdBy}.`}
      />
      <Card title="Latest deliveries">
        <DataTable
          caption="Deliveries"
          testId="webhook-deliveries"
          columns={["Event", "Status", "Attempts", "Response", "Last error", "Next attempt", "Created"]}
          rows={deliveries}
          empty="Nothing sent yet."
        >
          {(delivery) => (
            <tr key={delivery.id}>
              <Td className="font-mono text-xs">{delivery.event}</Td>
              <Td>
                <Badge tone={TONE[delivery.status]}>{delivery.status}</Badge>
              </Td>
              <Td>{delivery.attempts}</Td>
              <Td>{delivery.lastResponseCode ?? "—"}</Td>
              <Td className="text-xs [overflow-wrap:anywhere]">{delivery.lastError ?? ""}</Td>
              <Td className="text-xs">
                {delivery.status === "pending" ? <TimeAgo date={delivery.nextAttemptAt} /> : "—"}
              </Td>
              <Td className="text-xs">
                <TimeAgo date={delivery.createdAt} />
              </Td>
            </tr>
          )}
        </DataTable>
      </Card>
    </>
  );
}
