"use server";

import { defineAction } from "@/lib/auth/define-action";
import { getDb } from "@/lib/db/client";
import { abortRollout, advanceRollout, pauseRollout, resumeRollout } from "@/lib/rollouts/control";
import { rolloutControlFormSchema } from "@/lib/schemas/rollout-actions";

/**
 * The rollout page's controls: the same lib/rollouts/control.ts calls as POST /api/v1/rollouts/{id}/…,
 * each audited with the reason. A control the rollout's state no longer allows is a conflict.
 */
export const controlRolloutAction = defineAction({
  name: "controlRolloutAction",
  role: "operator",
  schema: rolloutControlFormSchema,
  run: async ({ rolloutId, control, reason }, user): Promise<{ control: string; status: string }> => {
    const db = await getDb();
    const why = reason ?? "";
    const rollout =
      control === "pause"
        ? await pauseRollout(db, rolloutId, user.email, why)
        : control === "resume"
          ? await resumeRollout(db, rolloutId, user.email)
          : control === "abort"
            ? await abortRollout(db, rolloutId, user.email, why)
            : await advanceRollout(db, rolloutId, user.email, why);
    return { control, status: rollout.status };
  },
  revalidate: ["/rollouts", "/pins", "/audit"],
});
