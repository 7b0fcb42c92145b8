import { beforeEach, describe, expect, it } from "vitest";

import { ConflictError, NotFoundError, ValidationError } from "@/lib/domain/errors";
import { KNOWN_RUNTIMES } from "@/lib/domain/runtimes";
import { availableBackends, type TestDatabase } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { listAuditEntries } from "./audit-log";
import { listPinHistory, listPinOverview } from "./pin-overview";
import { promotePin, rollbackPin, unpinTemplate } from "./pins";

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const A = digest("a");
const B = digest("b");
const C = digest("c");
const D = digest("d");
const T = "hermes";

describe.each(availableBackends())("pins on %s", (backend) => {
  const db = useTestDatabase(backend, {
    truncate: ["runtime_image_pins", "runtime_image_pin_history", "audit_log", "workspaces"],
  });

  beforeEach(async () => {
    await db().$executeRawUnsafe("DROP TRIGGER IF EXISTS fp_test_fail ON audit_log");
  });

  const promote = (digestValue: string, expectedDigest: string | null, actor = "alice@example.com", templateName = T) =>
    promotePin(
      db(),
      { templateName, digest: digestValue, expectedDigest, reason: `promote ${digestValue.slice(7, 10)}` },
      actor,
    );

  async function pinOf(templateName = T) {
    return db().runtimeImagePin.findUnique({ where: { templateName } });
  }

  it("promotes an unpinned template and writes pin, history and audit", async () => {
    const change = await promotePin(
      db(),
      { templateName: T, digest: A, expectedDigest: null, reason: "  first release  " },
      "alice@example.com",
    );

    expect(change).toEqual({ templateName: T, action: "promote", fromDigest: null, toDigest: A });
    const pin = await pinOf();
    expect(pin).toMatchObject({ digest: A, updatedBy: "alice@example.com", notes: "first release" });
    const history = await listPinHistory(db(), T);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      action: "promote",
      fromDigest: null,
      toDigest: A,
      actor: "alice@example.com",
      reason: "first release",
    });
    const audit = await listAuditEntries(db(), { template: T });
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({
      actor: "alice@example.com",
      action: "pin.promote",
      targetType: "pin",
      targetId: T,
      templateName: T,
      reason: "first release",
      before: { digest: null },
      after: { digest: A },
    });
  });

  it("gives the second of two forms with the same expected digest a conflict and loses nothing", async () => {
    await promote(A, null);

    await promote(B, A, "alice@example.com");
    const second = promote(C, A, "bob@example.com");

    await expect(second).rejects.toBeInstanceOf(ConflictError);
    await expect(second).rejects.toThrow(new RegExp(`now ${B}, set by alice@example\\.com at \\d{4}-`));
    expect((await pinOf())?.digest).toBe(B);
    expect((await listPinHistory(db(), T)).map((h) => h.toDigest)).toEqual([B, A]);
    expect((await listAuditEntries(db(), {})).rows.map((r) => r.after)).toEqual([{ digest: B }, { digest: A }]);
  });

  it("lets exactly one of two concurrent promotes win", async () => {
    await promote(A, null);

    const results = await Promise.allSettled([promote(B, A, "alice@example.com"), promote(C, A, "bob@example.com")]);

    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.reason).toBeInstanceOf(ConflictError);
    const winner = (won[0] as PromiseFulfilledResult<{ toDigest: string }>).value.toDigest;
    expect((await pinOf())?.digest).toBe(winner);
    expect(await db().runtimeImagePinHistory.count()).toBe(2);
    expect(await db().auditLog.count()).toBe(2);
  });

  it("lets exactly one of two concurrent first pins win", async () => {
    const results = await Promise.allSettled([
      promote(A, null, "alice@example.com"),
      promote(B, null, "bob@example.com"),
    ]);

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(lost?.reason).toBeInstanceOf(ConflictError);
    expect(await db().runtimeImagePinHistory.count()).toBe(1);
  });

  it("refuses a form that expected the template unpinned when it is pinned, naming the pin", async () => {
    await promote(A, null, "carol@example.com");

    await expect(promote(B, null)).rejects.toThrow(
      /you saw it unpinned\): it is now sha256:a{64}, set by carol@example\.com/,
    );
  });

  it("refuses a form that expected a pin that has since been removed, naming who unpinned", async () => {
    await promote(A, null);
    await unpinTemplate(db(), { templateName: T, expectedDigest: A, reason: "back to latest" }, "dave@example.com");

    await expect(promote(B, A)).rejects.toThrow(/it is now unpinned, unpinned by dave@example\.com at/);
    expect(await pinOf()).toBeNull();
  });

  it.each<[string, () => Promise<unknown>, typeof ValidationError | typeof NotFoundError, RegExp]>([
    ["a malformed digest", () => promote("sha256:ABC", null), ValidationError, /not an image digest/],
    ["an upper-case digest", () => promote(`sha256:${"A".repeat(64)}`, null), ValidationError, /not an image digest/],
    ["a malformed expected digest", () => promote(A, "latest"), ValidationError, /not an image digest/],
    [
      "a blank reason",
      () => promotePin(db(), { templateName: T, digest: A, expectedDigest: null, reason: "   " }, "a"),
      ValidationError,
      /reason/,
    ],
    [
      "a reason over 500 characters",
      () => promotePin(db(), { templateName: T, digest: A, expectedDigest: null, reason: "x".repeat(501) }, "a"),
      ValidationError,
      /keep it to 500/,
    ],
    [
      "an unknown template",
      () => promote(A, null, "a", "no-such-runtime"),
      NotFoundError,
      /Unknown template "no-such-runtime"/,
    ],
  ])("rejects %s and writes nothing", async (_name, act, type, message) => {
    await expect(act()).rejects.toBeInstanceOf(type);
    await expect(act()).rejects.toThrow(message);
    expect(await db().runtimeImagePin.count()).toBe(0);
    expect(await db().runtimeImagePinHistory.count()).toBe(0);
    expect(await db().auditLog.count()).toBe(0);
  });

  it("refuses to promote the digest that is already pinned", async () => {
    await promote(A, null);

    await expect(promote(A, A)).rejects.toThrow(/already pinned/);
    expect(await db().runtimeImagePinHistory.count()).toBe(1);
  });

  it("keeps managing a template that is pinned but no longer a known runtime", async () => {
    await db().$executeRaw`INSERT INTO runtime_image_pins (template_name, digest) VALUES ('legacy-runtime', ${A})`;

    await promote(B, A, "a", "legacy-runtime");

    const overview = await listPinOverview(db());
    expect(overview.map((row) => row.templateName)).toEqual([...KNOWN_RUNTIMES, "legacy-runtime"].sort());
    expect(overview.find((row) => row.templateName === "legacy-runtime")).toMatchObject({
      known: false,
      repository: "",
      pin: { digest: B },
      // The first pin was written outside Fleetpin, so history only knows A→B.
      rollbackTarget: A,
    });
  });

  it("rolls back one release at a time over A→B→C→rollback→rollback", async () => {
    const target = async () => (await listPinOverview(db())).find((row) => row.templateName === T)?.rollbackTarget;
    await promote(A, null);
    expect(await target()).toBeNull();
    await promote(B, A);
    await promote(C, B);
    expect(await target()).toBe(B);

    const first = await rollbackPin(
      db(),
      { templateName: T, expectedDigest: C, reason: "C breaks login" },
      "erin@example.com",
    );
    expect(first).toEqual({ templateName: T, action: "rollback", fromDigest: C, toDigest: B });
    expect(await target()).toBe(A);

    await rollbackPin(db(), { templateName: T, expectedDigest: B, reason: "B too" }, "erin@example.com");
    expect((await pinOf())?.digest).toBe(A);
    expect(await target()).toBeNull();
    await expect(
      rollbackPin(db(), { templateName: T, expectedDigest: A, reason: "again" }, "erin@example.com"),
    ).rejects.toThrow(/no earlier pinned digest to roll back to/);

    await promote(D, A);
    expect(await target()).toBe(A);
    const history = await listPinHistory(db(), T);
    expect(history.map((h) => `${h.action}:${h.toDigest?.slice(7, 8)}`)).toEqual([
      "promote:d",
      "rollback:a",
      "rollback:b",
      "promote:c",
      "promote:b",
      "promote:a",
    ]);
    expect(
      (await listAuditEntries(db(), { template: T, action: "pin.rollback" })).rows.map((r) => [r.before, r.after]),
    ).toEqual([
      [{ digest: B }, { digest: A }],
      [{ digest: C }, { digest: B }],
    ]);
    expect(await listPinHistory(db(), T, 2)).toHaveLength(2);
  });

  it("refuses a stale rollback form", async () => {
    await promote(A, null);
    await promote(B, A);
    await promote(C, B);

    await rollbackPin(db(), { templateName: T, expectedDigest: C, reason: "first click" }, "a");
    const second = rollbackPin(db(), { templateName: T, expectedDigest: C, reason: "second click" }, "b");

    await expect(second).rejects.toBeInstanceOf(ConflictError);
    expect((await pinOf())?.digest).toBe(B);
  });

  it("unpins and records it; a later pin starts a new line of releases", async () => {
    await promote(A, null);
    await promote(B, A);

    const change = await unpinTemplate(
      db(),
      { templateName: T, expectedDigest: B, reason: "follow latest" },
      "frank@example.com",
    );

    expect(change).toEqual({ templateName: T, action: "unpin", fromDigest: B, toDigest: null });
    expect(await pinOf()).toBeNull();
    const [audit] = (await listAuditEntries(db(), { action: "pin.unpin" })).rows;
    expect(audit).toMatchObject({
      actor: "frank@example.com",
      reason: "follow latest",
      before: { digest: B },
      after: { digest: null },
    });
    await expect(
      unpinTemplate(db(), { templateName: T, expectedDigest: B, reason: "again" }, "a"),
    ).rejects.toBeInstanceOf(ConflictError);
    await promote(C, null);
    expect((await listPinOverview(db())).find((row) => row.templateName === T)?.rollbackTarget).toBeNull();
  });

  describe("when the audit insert fails after the pin write", () => {
    beforeEach(async () => {
      await db().$executeRawUnsafe(
        "CREATE OR REPLACE FUNCTION fp_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit insert refused by test'; END $$",
      );
    });
    const breakAudit = () =>
      db().$executeRawUnsafe(
        "CREATE TRIGGER fp_test_fail BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION fp_test_fail()",
      );

    it.each<[string, (db: TestDatabase["db"]) => Promise<unknown>]>([
      ["promote", (d) => promotePin(d, { templateName: T, digest: C, expectedDigest: B, reason: "r" }, "a")],
      ["rollback", (d) => rollbackPin(d, { templateName: T, expectedDigest: B, reason: "r" }, "a")],
      ["unpin", (d) => unpinTemplate(d, { templateName: T, expectedDigest: B, reason: "r" }, "a")],
    ])("%s changes neither the pin nor its history", async (_name, act) => {
      await promote(A, null);
      await promote(B, A);
      const before = await pinOf();
      await breakAudit();

      await expect(act(db())).rejects.toThrow(/audit insert refused by test/);

      expect(await pinOf()).toEqual(before);
      expect(await db().runtimeImagePinHistory.count()).toBe(2);
    });

    it("a failed first pin leaves the template unpinned", async () => {
      await breakAudit();

      await expect(promote(A, null)).rejects.toThrow(/audit insert refused by test/);

      expect(await pinOf()).toBeNull();
      expect(await db().runtimeImagePinHistory.count()).toBe(0);
    });
  });

  it("lists every known template with its pin and fleet counts", async () => {
    await promote(A, null, "a", "hermes");
    await db().$executeRaw`
      INSERT INTO workspaces (name, runtime, status, runtime_image_digest) VALUES
        ('h1', 'hermes', 'online', ${A}), ('h2', 'hermes', 'down', ${B}), ('h3', 'hermes', 'offline', NULL),
        ('h4', 'hermes', 'removed', ${B}), ('c1', 'codex', 'online', ${C}), ('c2', 'codex', 'online', NULL)`;

    const overview = await listPinOverview(db(), { imagePrefix: "registry.test/ns" });

    expect(overview.map((row) => row.templateName)).toEqual([...KNOWN_RUNTIMES]);
    expect(overview.find((row) => row.templateName === "hermes")).toMatchObject({
      known: true,
      repository: "registry.test/ns/workspace-template-hermes",
      pin: { digest: A, updatedBy: "a", notes: "promote aaa" },
      rollbackTarget: null,
      workspaceCount: 3,
      onPinCount: 1,
      staleCount: 1,
      unknownCount: 1,
      downCount: 1,
    });
    expect(overview.find((row) => row.templateName === "codex")).toMatchObject({
      pin: null,
      workspaceCount: 2,
      onPinCount: 0,
      staleCount: 0,
      unknownCount: 0,
      downCount: 0,
    });
    expect(overview.find((row) => row.templateName === "autogen")).toMatchObject({ pin: null, workspaceCount: 0 });
  });
});
