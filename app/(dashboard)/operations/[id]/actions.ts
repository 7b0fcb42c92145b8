"use server";

import { defineAction } from "@/lib/auth/define-action";
import { getDb } from "@/lib/db/client";
import { cancelOperation } from "@/lib/db/operations/cancel-operation";
import { cancelOperationSchema } from "@/lib/schemas/operation";

/** Ask a running operation to stop: items already running finish, the rest are cancelled. */
export const cancelOperationAction = defineAction({
  name: "cancelOperationAction",
  role: "operator",
  schema: cancelOperationSchema,
  run: async ({ operationId }, user) => {
    await cancelOperation(await getDb(), operationId, user.email);
    return { operationId };
  },
  revalidate: ["/stale", "/audit"],
});
