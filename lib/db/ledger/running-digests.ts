import "server-only";

import type { Prisma } from "@/lib/generated/prisma/client";

type Tx = Prisma.TransactionClient;

/**
 * Puts the digests live workspaces run into the ledger (seen via "running"): all of them after a
 * sync, or those of `workspaceId` after a (re)provision. One statement; known digests only gain
 * "running" in seen_via once.
 */
export async function recordRunningDigestsTx(tx: Tx, workspaceId?: string): Promise<void> {
  // INSERT … SELECT with a conditional ON CONFLICT update: one statement for the whole fleet, which the model API cannot express.
  await tx.$executeRaw`
    INSERT INTO template_digests (template_name, digest, first_seen_at, first_seen_via, seen_via)
    SELECT DISTINCT w.runtime, w.runtime_image_digest, now(), 'running', '["running"]'::jsonb
    FROM workspaces w
    WHERE w.status <> 'removed'::workspace_status AND w.runtime_image_digest ~ '^sha256:[a-f0-9]{64}$'
      AND (${workspaceId ?? null}::uuid IS NULL OR w.id = ${workspaceId ?? null}::uuid)
    ON CONFLICT (template_name, digest) DO UPDATE
      SET seen_via = template_digests.seen_via || '["running"]'::jsonb
      WHERE NOT (template_digests.seen_via @> '["running"]'::jsonb)`;
}
