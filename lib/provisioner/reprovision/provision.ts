import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import { ConflictError, ValidationError } from "@/lib/domain/errors";
import { isUuid } from "@/lib/domain/is-uuid";
import { isKnownRuntime, KNOWN_RUNTIMES } from "@/lib/domain/runtimes";
import { Prisma } from "@/lib/generated/prisma/client";

import { lockToken, lockWorkspace, runLocked } from "./reprovision";
import type { ReprovisionDeps, ReprovisionResult } from "./types";

/** Input of provisionWorkspace; `id` lets a caller choose the UUID (else the database does). */
export interface ProvisionInput {
  id?: string;
  name: string;
  runtime: string;
}

/**
 * Creates the workspace row (unless a row with `id` exists) and its first container through the
 * same path as reprovisionWorkspace. A new row that fails to come up is left with status `failed`.
 */
export async function provisionWorkspace(input: ProvisionInput, deps: ReprovisionDeps): Promise<ReprovisionResult> {
  const name = input.name.trim();
  const fieldErrors: Record<string, string[]> = {};
  if (name === "") fieldErrors.name = ["Name is required."];
  else if (name.length > 200) fieldErrors.name = ["Name must be at most 200 characters."];
  if (!isKnownRuntime(input.runtime)) fieldErrors.runtime = [`Runtime must be one of: ${KNOWN_RUNTIMES.join(", ")}.`];
  if (input.id !== undefined && !isUuid(input.id)) fieldErrors.id = ["Workspace id must be a UUID."];
  if (Object.keys(fieldErrors).length > 0)
    throw new ValidationError("The workspace cannot be provisioned as given.", fieldErrors);

  const token = lockToken(deps.operationItemId);
  const existing = input.id
    ? await deps.db.workspace.findUnique({ where: { id: input.id }, select: { runtime: true } })
    : null;
  if (existing) {
    if (existing.runtime !== input.runtime) {
      throw new ConflictError(
        `workspace ${input.id} already exists with runtime ${existing.runtime}, not ${input.runtime}`,
      );
    }
    return runLocked(await lockWorkspace(input.id!, deps, token), deps, "provision");
  }

  // The row is born locked, so nothing (sync, another provision) can act on it half-made.
  const row = await createLockedRow(deps, { ...input, name }, token);
  return runLocked(
    {
      id: row.id,
      name: row.name,
      runtime: row.runtime,
      // A brand-new row has no state to go back to: a failure leaves it `failed`.
      previousStatus: "failed",
      containerId: null,
      containerName: null,
      runtimeImage: null,
      runtimeImageDigest: null,
      lockToken: token,
    },
    deps,
    "provision",
  );
}

async function createLockedRow(deps: ReprovisionDeps, input: ProvisionInput, token: string) {
  try {
    return await deps.db.$transaction(async (tx) => {
      const created = await tx.workspace.create({
        data: {
          ...(input.id ? { id: input.id } : {}),
          name: input.name,
          runtime: input.runtime,
          status: "provisioning",
          lockedBy: token,
          lockedAt: new Date(),
        },
      });
      await recordAudit(tx, {
        actor: deps.actor,
        action: "workspace.create",
        targetType: "workspace",
        targetId: created.id,
        templateName: created.runtime,
        reason: deps.reason ?? null,
        after: { name: created.name, runtime: created.runtime },
      });
      return created;
    });
  } catch (error) {
    // Two provisions of the same new id: the loser sees the primary key taken.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new ConflictError(`workspace ${input.id} already exists; it is being provisioned by another request`);
    }
    throw error;
  }
}
