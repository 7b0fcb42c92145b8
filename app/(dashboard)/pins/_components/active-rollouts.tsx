import Link from "next/link";

import { RolloutsTable } from "@/components/rollouts/rollouts-table";
import { SectionError } from "@/components/status/section-error";
import { Card } from "@/components/ui/card";
import { getDb } from "@/lib/db/client";
import { listRollouts } from "@/lib/db/rollouts/read";
import { ACTIVE_ROLLOUT_STATUSES } from "@/lib/domain/rollout-machine";
import { loadSection } from "@/lib/status/load-section";

/**
 * The pins page's running and paused rollouts: while one runs, its template's pin has not moved yet
 * (it moves when the last ring starts), so the operator needs to see it here. Nothing when none runs.
 */
export async function ActiveRollouts() {
  const result = await loadSection(async () =>
    listRollouts(await getDb(), { status: [...ACTIVE_ROLLOUT_STATUSES], limit: 20 }),
  );
  if (!result.ok) return <SectionError what="the active rollouts" failure={result} />;
  if (result.data.length === 0) return null;
  return (
    <Card
      title="Active rollouts"
      testId="active-rollouts"
      className="mb-5"
      actions={
        <Link href="/rollouts" className="text-xs text-sky-700 hover:underline">
          All rollouts
        </Link>
      }
    >
      <RolloutsTable rows={result.data} testId="active-rollouts-table" />
    </Card>
  );
}
