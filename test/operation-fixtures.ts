// A fresh migrated database for the tests of lib/db/operations/*, on one backend, with the
// rows those tests build on: hermes and codex pinned to PIN_DIGEST, workspaces seeded on demand.
import { beforeEach } from "vitest";

import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import type { OperationItemStatus } from "@/lib/generated/prisma/client";

import type { Backend } from "./databases";
import { useTestDatabase } from "./use-test-database";

/** The digest hermes and codex are pinned to: a workspace running it is on its pin. */
export const PIN_DIGEST = `sha256:${"a".repeat(64)}`;
/** The digest seeded workspaces run unless told otherwise: stale against PIN_DIGEST. */
export const STALE_DIGEST = `sha256:${"b".repeat(64)}`;
/** Who requests the operations the tests enqueue. */
export const ACTOR = "olga@example.com";
/** A well-formed id no row has. */
export const NO_SUCH_ID = "00000000-0000-4000-8000-000000000000";

/** A workspace to insert; runtime defaults to hermes, digest to STALE_DIGEST, status to online. */
export type SeedWorkspace = { name: string; runtime?: string; digest?: string | null; status?: string };

/**
 * Registers, in the calling describe block, a database (useTestDatabase) emptied of operations,
 * workspaces, pins and audit rows before each test, with hermes and codex pinned to PIN_DIGEST.
 */
export function useOperationsDatabase(backend: Backend) {
  const db = useTestDatabase(backend, {
    truncate: ["operations", "operation_items", "workspaces", "runtime_image_pins", "audit_log"],
  });
  beforeEach(async () => {
    await db()
      .$executeRaw`INSERT INTO runtime_image_pins (template_name, digest) VALUES ('hermes', ${PIN_DIGEST}), ('codex', ${PIN_DIGEST})`;
  });

  /** Inserts workspaces one second apart; returns their ids in order. */
  async function seed(rows: SeedWorkspace[]): Promise<string[]> {
    const ids: string[] = [];
    for (const [i, row] of rows.entries()) {
      const [created] = await db().$queryRaw<{ id: string }[]>`
        INSERT INTO workspaces (name, runtime, runtime_image_digest, status, created_at)
        VALUES (${row.name}, ${row.runtime ?? "hermes"}, ${row.digest === undefined ? STALE_DIGEST : row.digest},
                ${row.status ?? "online"}::workspace_status, timestamptz '2026-01-01' + (${i} || ' seconds')::interval)
        RETURNING id::text AS id`;
      ids.push(created!.id);
    }
    return ids;
  }

  /** The operation's items in id order: workspace, status and error. */
  const items = (operationId: string) =>
    db().operationItem.findMany({
      where: { operationId },
      orderBy: { id: "asc" },
      select: { workspaceId: true, status: true, error: true },
    });

  /** A running operation over workspaces ws-0…ws-n whose items have these statuses (failed ones with "boom i"). */
  async function operationWith(statuses: OperationItemStatus[]) {
    const ids = await seed(statuses.map((_, i) => ({ name: `ws-${i}` })));
    const { operationId } = await enqueueReprovision(db(), { workspaceIds: ids }, ACTOR);
    const rows = await db().operationItem.findMany({ where: { operationId }, orderBy: { id: "asc" } });
    for (const [i, row] of rows.entries()) {
      const status = statuses[i]!;
      await db().operationItem.update({
        where: { id: row.id },
        data: { status, error: status === "failed" ? `boom ${i}` : null },
      });
    }
    await db().operation.update({
      where: { id: operationId },
      data: {
        status: "running",
        succeeded: statuses.filter((s) => s === "succeeded").length,
        failed: statuses.filter((s) => s === "failed").length,
      },
    });
    return { operationId, ids };
  }

  return { db, seed, items, operationWith };
}
