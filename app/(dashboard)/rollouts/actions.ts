"use server";

import { controlRollout } from "@/lib/api/rollout-controls";
import { defineAction } from "@/lib/auth/define-action";
import { getDb } from "@/lib/db/client";
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
    const rollout = await controlRollout(await getDb(), rolloutId, control, user.email, reason ?? "");
    return { control, status: rollout.status };
  },
  revalidate: ["/rollouts", "/pins", "/audit"],
});
