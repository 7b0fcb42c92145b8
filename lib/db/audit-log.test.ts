import { beforeAll, describe, expect, it } from "vitest";

import { ValidationError } from "@/lib/domain/errors";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { listAuditEntries, recordAudit, type AuditFilter, type AuditRow } from "./audit-log";

describe.each(availableBackends())("audit log on %s", (backend) => {
  const db = useTestDatabase(backend);

  beforeAll(async () => {
    const actions = ["pin.promote", "pin.rollback", "pin.unpin", "operation.reprovision_requested"];
    const templates = ["hermes", "codex", null];
    // Each transaction's rows share one created_at (now() is the transaction start),
    // so ties on created_at are normal and the cursor must break them by id.
    for (let batch = 0; batch < 30; batch++) {
      await db().$transaction(async (tx) => {
        for (let i = 0; i < 4; i++) {
          const n = batch * 4 + i;
          await recordAudit(tx, {
            actor: `user${n % 3}@example.com`,
            action: actions[n % actions.length] as string,
            targetType: n % 4 === 3 ? "operation" : "pin",
            targetId: `target-${n}`,
            templateName: templates[n % templates.length] ?? null,
            reason: `reason ${n}`,
            before: { digest: null, n },
            after: { digest: `sha256:${"a".repeat(64)}`, n },
          });
        }
      });
    }
  });

  async function walk(filter: AuditFilter): Promise<AuditRow[]> {
    const rows: AuditRow[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await listAuditEntries(db(), { ...filter, cursor, limit: 7 });
      rows.push(...page.rows);
      if (!page.nextCursor) return rows;
      cursor = page.nextCursor;
    }
    throw new Error("pagination does not end");
  }

  const ns = (rows: AuditRow[]) => rows.map((row) => (row.after as { n: number }).n);
  const descending = (keep: (n: number) => boolean) => Array.from({ length: 120 }, (_, n) => 119 - n).filter(keep);

  it("lists every entry newest first across pages", async () => {
    const rows = await walk({});

    expect(ns(rows)).toEqual(descending(() => true));
    expect(rows[0]).toMatchObject({
      actor: "user2@example.com",
      action: "operation.reprovision_requested",
      targetType: "operation",
      targetId: "target-119",
      templateName: null,
      reason: "reason 119",
      before: { digest: null, n: 119 },
    });
    expect(rows[0]?.createdAt).toBeInstanceOf(Date);
    expect(typeof rows[0]?.id).toBe("string");
  });

  it.each<[string, AuditFilter, (n: number) => boolean]>([
    ["template", { template: "hermes" }, (n) => n % 3 === 0],
    ["exact action", { action: "pin.rollback" }, (n) => n % 4 === 1],
    ["action prefix", { action: "pin." }, (n) => n % 4 !== 3],
    ["template and action", { template: "codex", action: "pin.promote" }, (n) => n % 3 === 1 && n % 4 === 0],
    ["an action nobody took", { action: "pin.nothing" }, () => false],
  ])("filters by %s", async (_name, filter, keep) => {
    expect(ns(await walk(filter))).toEqual(descending(keep));
  });

  it("clamps the page size and rejects a forged cursor", async () => {
    expect((await listAuditEntries(db(), { limit: 0 })).rows).toHaveLength(1);
    expect((await listAuditEntries(db(), {})).rows).toHaveLength(50);
    await expect(listAuditEntries(db(), { cursor: "garbage" })).rejects.toBeInstanceOf(ValidationError);
  });
});
