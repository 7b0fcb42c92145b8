"use server";

import { defineAction } from "@/lib/auth/define-action";
import { getDb } from "@/lib/db/client";
import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { enqueueSync } from "@/lib/db/operations/enqueue-sync";
import { loadRings, replaceRings } from "@/lib/db/rings";
import { ValidationError } from "@/lib/domain/errors";
import { withExplicitMembers } from "@/lib/domain/ring-membership";
import { startQueuedOperation } from "@/lib/operations/queue/queue-operation";
import { addToRingFormSchema, NO_EXPLICIT_RING } from "@/lib/schemas/rollout-actions";
import { reprovisionWorkspaceSchema, syncFromDockerSchema } from "@/lib/schemas/workspace";

/**
 * Reprovision one workspace. Only records the operation and starts it in the
 * background; the row polls /api/operations/[id] for the outcome.
 */
export const reprovisionWorkspaceAction = defineAction({
  name: "reprovisionWorkspaceAction",
  role: "operator",
  schema: reprovisionWorkspaceSchema,
  run: async ({ workspaceId, reason }, user) => {
    const { operationId } = await enqueueReprovision(
      await getDb(),
      { workspaceIds: [workspaceId], reason },
      user.email,
    );
    startQueuedOperation(operationId);
    return { operationId };
  },
  revalidate: ["/workspaces", "/stale", "/audit"],
});

/** Reconcile workspace rows with the containers Docker actually has, as a background operation. */
export const syncFromDockerAction = defineAction({
  name: "syncFromDockerAction",
  role: "operator",
  schema: syncFromDockerSchema,
  run: async (_input, user) => {
    const { operationId } = await enqueueSync(await getDb(), user.email);
    startQueuedOperation(operationId);
    return { operationId };
  },
  revalidate: ["/stale", "/audit"],
});

/**
 * Bulk "Add to ring": the selected workspaces become explicit members of the ring (its selector's
 * workspace ids) and leave every other ring's list; the whole list is then saved like PUT /rings.
 */
export const addToRingAction = defineAction({
  name: "addToRingAction",
  role: "operator",
  schema: addToRingFormSchema,
  run: async ({ ring, workspaceIds }, user) => {
    const db = await getDb();
    const { rings } = await loadRings(db);
    const next = withExplicitMembers(rings, ring === NO_EXPLICIT_RING ? null : ring, workspaceIds);
    if (!next) throw new ValidationError(`Ring "${ring}" takes no explicit members.`, { ring: ["Choose a ring."] });
    await replaceRings(db, next, user.email);
    return { ring, count: workspaceIds.length };
  },
  revalidate: ["/workspaces", "/settings/rings", "/audit"],
});
