import type { Metadata } from "next";
import { Suspense } from "react";

import { DeleteHostButton } from "@/app/(dashboard)/settings/hosts/_components/delete-host-button";
import { HostForm } from "@/app/(dashboard)/settings/hosts/_components/host-form";
import { SectionError } from "@/components/status/section-error";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { SectionSkeleton } from "@/components/ui/skeleton";
import { ACTIONS_COLUMN, DataTable, Td } from "@/components/ui/table";
import { canOperate, requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { probeHosts } from "@/lib/provisioner/docker/hosts";
import { loadSection } from "@/lib/status/load-section";

export const metadata: Metadata = { title: "Docker hosts" };

const COLUMNS = ["Host", "Endpoint", "Labels", "Concurrency", "TLS", "Reachable"];
const labelsText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(", ");

async function HostsSection({ operator }: { operator: boolean }) {
  // Each host is pinged on its own short timeout, in parallel: one dead engine never holds the list.
  const result = await loadSection(async () => probeHosts(await getDb(), { timeoutMs: 2_000 }));
  if (!result.ok) return <SectionError what="the Docker hosts" failure={result} />;
  const hosts = result.data;
  return (
    <>
      <DataTable
        caption="Docker hosts"
        testId="hosts-table"
        columns={[...COLUMNS, operator && ACTIONS_COLUMN]}
        rows={hosts}
        empty="No Docker host is registered yet."
      >
        {(host) => (
          <tr key={host.name} data-testid={`host-row-${host.name}`}>
            <Td className="font-medium text-slate-900">{host.name}</Td>
            <Td className="font-mono text-xs text-slate-700">{host.endpoint}</Td>
            <Td className="text-xs text-slate-700">
              {labelsText(host.labels) || <span className="text-slate-400">none</span>}
            </Td>
            <Td>{host.concurrency}</Td>
            <Td>{host.tls ? "client certificates" : <span className="text-slate-400">none</span>}</Td>
            <Td data-testid="host-reachable">
              {host.reachable ? (
                <Badge tone="success">reachable</Badge>
              ) : (
                <Badge tone="danger" title={host.error ?? undefined}>
                  unreachable
                </Badge>
              )}
            </Td>
            {operator && (
              <Td className="text-right">
                <DeleteHostButton name={host.name} />
              </Td>
            )}
          </tr>
        )}
      </DataTable>
      {operator &&
        hosts.map((host) => (
          <details key={host.name} className="border-t border-slate-200">
            <summary className="cursor-pointer px-4 py-2 text-sm text-slate-700">Edit {host.name}</summary>
            <HostForm
              initial={{
                name: host.name,
                endpoint: host.endpoint,
                labels: labelsText(host.labels),
                concurrency: host.concurrency,
                tls: host.tls,
              }}
            />
          </details>
        ))}
    </>
  );
}

export default async function HostsPage() {
  const user = await requireUser();
  const operator = canOperate(user);
  return (
    <>
      <PageHeader
        title="Docker hosts"
        description="The engines Fleetpin manages workspaces on. DOCKER_HOST is the host named local; each host has its own concurrency limit, and TLS material is stored encrypted."
      />
      <div className="space-y-5">
        <Card title="Hosts">
          <Suspense fallback={<SectionSkeleton rows={3} label="Loading Docker hosts" />}>
            <HostsSection operator={operator} />
          </Suspense>
        </Card>
        {operator && (
          <Card
            title="Add a host"
            description="unix:// for a local socket, tcp:// with the engine's CA and a client certificate and key for a remote one."
          >
            <HostForm initial={null} />
          </Card>
        )}
      </div>
    </>
  );
}
