import type { Metadata } from "next";
import { Suspense } from "react";

import { DisableRingsButton } from "@/app/(dashboard)/settings/rings/_components/disable-rings-button";
import { RingListEditor } from "@/components/rollouts/ring-list-editor";
import { SectionError } from "@/components/status/section-error";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { SectionSkeleton } from "@/components/ui/skeleton";
import { DataTable, Td } from "@/components/ui/table";
import { canOperate, requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { loadRings } from "@/lib/db/rings";
import { DEFAULT_RINGS, type RingConfig } from "@/lib/domain/rings";
import { draftsFromRings, formatLabels } from "@/lib/schemas/ring-form";
import { fromRingConfig } from "@/lib/schemas/rings";
import { loadSection } from "@/lib/status/load-section";

import { saveRingsAction } from "./actions";

export const metadata: Metadata = { title: "Rings" };

function selectorText(ring: RingConfig): string {
  if (!ring.selector) return "every workspace no earlier ring takes";
  const parts = [
    ring.selector.workspaceIds?.length ? `${ring.selector.workspaceIds.length} workspace(s) by id` : "",
    ring.selector.labels ? formatLabels(ring.selector.labels) : "",
    ring.selector.percent !== undefined ? `${ring.selector.percent}% of the fleet` : "",
  ];
  return parts.filter(Boolean).join(" · ");
}

/** What viewers see: the list, read-only. */
function RingsReadOnly({ rings }: { rings: RingConfig[] }) {
  return (
    <DataTable
      caption="Rings"
      testId="rings-table"
      columns={["Ring", "Selects", "Bake", "Failure budget", "Max unavailable", "Advances"]}
      rows={rings}
    >
      {(ring) => (
        <tr key={ring.name} data-testid={`ring-row-${ring.name}`}>
          <Td className="font-medium text-slate-900">{ring.name}</Td>
          <Td className="text-xs text-slate-700">{selectorText(ring)}</Td>
          <Td>{ring.bakeSeconds} s</Td>
          <Td>{ring.failureBudget}</Td>
          <Td>{ring.maxUnavailable}</Td>
          <Td>{ring.autoAdvance ? "by itself" : "on Advance"}</Td>
        </tr>
      )}
    </DataTable>
  );
}

async function RingsSection({ operator }: { operator: boolean }) {
  const result = await loadSection(async () => loadRings(await getDb()));
  if (!result.ok) return <SectionError what="the rings" failure={result} />;
  const { enabled } = result.data;
  // Never configured (or disabled): the editor starts from the defaults, saved only on Save.
  const rings = enabled ? result.data.rings : DEFAULT_RINGS;
  return (
    <Card
      title="Rings"
      testId="rings-card"
      description={
        enabled
          ? `Enabled for ${result.data.templates.length > 0 ? result.data.templates.join(", ") : "every template"}: a promote starts a rollout that moves these rings one after the other.`
          : "Disabled: a promote moves the whole pin at once. Save a list to enable rings (the defaults are shown)."
      }
      actions={
        <>
          <Badge tone={enabled ? "success" : "muted"} testId="rings-enabled">
            {enabled ? "enabled" : "disabled"}
          </Badge>
          {operator && enabled && <DisableRingsButton />}
        </>
      }
    >
      {operator ? (
        <RingListEditor
          initial={draftsFromRings(rings.map(fromRingConfig))}
          initialTemplates={result.data.templates}
          action={saveRingsAction}
        />
      ) : (
        <RingsReadOnly rings={rings} />
      )}
    </Card>
  );
}

export default async function RingsPage() {
  const user = await requireUser();
  return (
    <>
      <PageHeader
        title="Rings"
        description="The order a new digest reaches the fleet: each ring is reprovisioned, then must stay running and healthy for its bake time before the next one starts. A ring that fails rolls every moved ring back and quarantines the digest."
      />
      <Suspense fallback={<SectionSkeleton rows={4} label="Loading rings" />}>
        <RingsSection operator={canOperate(user)} />
      </Suspense>
    </>
  );
}
