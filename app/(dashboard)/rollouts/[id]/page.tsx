import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";

import { RolloutAudit } from "@/app/(dashboard)/rollouts/[id]/_components/rollout-audit";
import { controlRolloutAction } from "@/app/(dashboard)/rollouts/actions";
import { AutoRefresh } from "@/components/rollouts/auto-refresh";
import { GateResults } from "@/components/rollouts/gate-results";
import { RingWorkspacesTable } from "@/components/rollouts/ring-workspaces-table";
import { RolloutControls } from "@/components/rollouts/rollout-controls";
import { RingStatusBadge, RolloutStatusBadge } from "@/components/rollouts/rollout-status-badge";
import { RolloutTimeline } from "@/components/rollouts/rollout-timeline";
import type { RolloutView } from "@/components/rollouts/types";
import { SectionError } from "@/components/status/section-error";
import { Badge } from "@/components/ui/badge";
import { Banner } from "@/components/ui/banner";
import { Card } from "@/components/ui/card";
import { DigestText } from "@/components/ui/digest-text";
import { PageHeader } from "@/components/ui/page-header";
import { SectionSkeleton } from "@/components/ui/skeleton";
import { TimeAgo } from "@/components/ui/time-ago";
import { canOperate, requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { quarantinedDigests } from "@/lib/db/ledger/quarantine";
import { getRollout } from "@/lib/db/rollouts/read";
import { ACTIVE_ROLLOUT_STATUSES } from "@/lib/domain/rollout-machine";
import { uuidSchema } from "@/lib/schemas/fields";
import { loadSection } from "@/lib/status/load-section";

export const metadata: Metadata = { title: "Rollout" };

const ROLLED_BACK_RING_STATUSES: readonly string[] = ["failed", "rolled_back", "skipped", "pending"];

const STATUS_TITLES: Record<RolloutView["status"], string> = {
  running: "Running",
  paused: "Paused",
  succeeded: "Succeeded",
  rolled_back: "Rolled back",
  aborted: "Aborted",
};

function Summary({ rollout, toQuarantined }: { rollout: RolloutView; toQuarantined: boolean }) {
  return (
    <dl className="grid gap-x-6 gap-y-2 p-4 text-sm md:grid-cols-4" data-testid="rollout-summary">
      <div>
        <dt className="text-xs text-slate-500">Status</dt>
        <dd>
          <RolloutStatusBadge status={rollout.status} />
        </dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">From → to</dt>
        <dd className="flex flex-wrap items-center gap-1">
          <DigestText digest={rollout.fromDigest} empty="unpinned" /> →{" "}
          <DigestText digest={rollout.toDigest} testId="rollout-to-digest" />
          {toQuarantined && (
            <Link
              href={`/pins/${encodeURIComponent(rollout.templateName)}`}
              title="Rolled back from: it cannot be promoted until the quarantine is lifted on the template page"
            >
              <Badge tone="danger" testId="rollout-to-quarantined">
                quarantined
              </Badge>
            </Link>
          )}
        </dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">Started by</dt>
        <dd className="text-slate-800">
          {rollout.actor} · <TimeAgo date={rollout.createdAt} />
        </dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">Reason</dt>
        <dd className="text-slate-800">{rollout.reason}</dd>
      </div>
    </dl>
  );
}

export default async function RolloutPage({ params }: { params: Promise<{ id: string }> }) {
  const [user, { id }] = await Promise.all([requireUser(), params]);
  const rolloutId = uuidSchema.safeParse(id);
  if (!rolloutId.success) notFound();
  const result = await loadSection(async () => {
    const db = await getDb();
    const rollout = await getRollout(db, rolloutId.data);
    const quarantined = rollout ? await quarantinedDigests(db, rollout.templateName) : new Map<string, Set<string>>();
    return rollout && { rollout, toQuarantined: quarantined.get(rollout.templateName)?.has(rollout.toDigest) ?? false };
  });
  if (!result.ok) return <SectionError what="this rollout" failure={result} />;
  if (!result.data) notFound();
  const { rollout, toQuarantined }: { rollout: RolloutView; toQuarantined: boolean } = result.data;
  const active = ACTIVE_ROLLOUT_STATUSES.includes(rollout.status);

  return (
    <>
      <AutoRefresh active={active} />
      <PageHeader
        title={`Rollout · ${rollout.templateName}`}
        description={<span className="font-mono text-xs">{rollout.id}</span>}
        actions={
          <Link
            href={`/rollouts?template=${encodeURIComponent(rollout.templateName)}`}
            className="text-sm text-sky-700 hover:underline"
          >
            All rollouts of {rollout.templateName}
          </Link>
        }
      />
      <div className="space-y-5" data-testid="rollout-page" data-status={rollout.status}>
        {rollout.statusReason && (
          <Banner
            tone={rollout.status === "succeeded" ? "success" : rollout.status === "running" ? "info" : "warning"}
            title={STATUS_TITLES[rollout.status]}
            testId="rollout-status-reason"
          >
            {rollout.statusReason}
          </Banner>
        )}
        <Card title="Rollout">
          <Summary rollout={rollout} toQuarantined={toQuarantined} />
          <RolloutTimeline rings={rollout.rings} currentRing={rollout.currentRing} />
        </Card>
        {canOperate(user) && (
          <Card title="Controls" description="Abort rolls every ring already moved back to the previous digest.">
            <RolloutControls rolloutId={rollout.id} status={rollout.status} action={controlRolloutAction} />
          </Card>
        )}
        <Card title="Gate results">
          <GateResults rings={rollout.rings} />
        </Card>
        {rollout.rings.map((ring) => (
          <Card
            key={ring.position}
            testId={`ring-card-${ring.name}`}
            title={`Ring ${ring.position + 1}: ${ring.name}`}
            actions={
              <>
                {ring.operationId && (
                  <Link href={`/operations/${ring.operationId}`} className="text-xs text-sky-700 hover:underline">
                    reprovision operation
                  </Link>
                )}
                <RingStatusBadge status={ring.status} />
              </>
            }
          >
            <RingWorkspacesTable
              ringName={ring.name}
              workspaces={ring.workspaces}
              // After a rollback the ring's target is the bad digest: being off it is the point, not drift.
              targetDigest={ROLLED_BACK_RING_STATUSES.includes(ring.status) ? null : ring.targetDigest}
            />
          </Card>
        ))}
        <Card title="Audit">
          <Suspense fallback={<SectionSkeleton rows={3} label="Loading audit entries" />}>
            <RolloutAudit rolloutId={rollout.id} templateName={rollout.templateName} />
          </Suspense>
        </Card>
      </div>
    </>
  );
}
