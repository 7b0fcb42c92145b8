import "server-only";

import type { Db } from "@/lib/db/client";
import { abortRolloutTx, advanceRolloutTx, pauseRolloutTx, resumeRolloutTx } from "@/lib/db/rollouts/control";
import { getRollout, type RolloutView } from "@/lib/db/rollouts/read";
import { NotFoundError } from "@/lib/domain/errors";

// The operator controls as the API and the rollout page call them: the audited write
// (lib/db/rollouts/control.ts, NotFoundError / ConflictError), then the rollout as it is now.
// Stands in for lib/rollouts/control.ts of the rings contract until rings-core ships it.

export type RolloutControl = "pause" | "resume" | "abort" | "advance";

export async function controlRollout(
  db: Db,
  id: string,
  control: RolloutControl,
  actor: string,
  reason: string,
): Promise<RolloutView> {
  if (control === "pause") await pauseRolloutTx(db, id, actor, reason);
  else if (control === "resume") await resumeRolloutTx(db, id, actor);
  else if (control === "abort") await abortRolloutTx(db, id, actor, reason);
  else await advanceRolloutTx(db, id, actor, reason);
  const rollout = await getRollout(db, id);
  if (!rollout) throw new NotFoundError(`Rollout ${id} does not exist.`);
  return rollout;
}
