import { describe, expect, it } from "vitest";

import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { createApiToken, listApiTokens, revokeApiToken, useApiToken } from "./api-tokens";

const hash = (n: number) => n.toString(16).padStart(64, "0");
const token = (name: string, n: number) => ({
  name,
  role: "operator" as const,
  tokenHash: hash(n),
  tokenPrefix: "fp_abcdef",
  expiresAt: null,
});

describe.each(availableBackends())("API token records on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["api_tokens", "audit_log"] });

  it("creates a token with its audit row; a name held by a token that is not revoked is refused", async () => {
    const row = await createApiToken(db(), token("ci", 1), "olga@example.com");
    expect(row).toMatchObject({
      name: "ci",
      role: "operator",
      createdBy: "olga@example.com",
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(row).not.toHaveProperty("tokenHash");
    await expect(createApiToken(db(), token("ci", 2), "ivan@example.com")).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { name: [expect.stringContaining("already exists")] },
    });
    const audit = await db().auditLog.findMany({ orderBy: { id: "asc" } });
    expect(audit.map((entry) => [entry.action, entry.actor, entry.targetId])).toEqual([
      ["api_token.created", "olga@example.com", "ci"],
    ]);
  });

  it("revokes once (one audit row), frees the name, and lists active tokens first", async () => {
    const first = await createApiToken(db(), token("ci", 1), "olga@example.com");
    const revoked = await revokeApiToken(db(), first.id, "ivan@example.com");
    expect(revoked).toMatchObject({ revokedBy: "ivan@example.com", revokedAt: expect.any(Date) });
    await revokeApiToken(db(), first.id, "ivan@example.com");
    const second = await createApiToken(db(), token("ci", 2), "olga@example.com");
    expect((await listApiTokens(db())).map((row) => row.id)).toEqual([second.id, first.id]);
    expect(await db().auditLog.count({ where: { action: "api_token.revoked" } })).toBe(1);
    await expect(revokeApiToken(db(), "not-a-uuid", "x")).rejects.toMatchObject({ code: "not_found" });
    await expect(revokeApiToken(db(), "0b9c6f3e-58d4-4f6e-9d8a-1c2b3a4d5e6f", "x")).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("authenticates by hash and counts calls in a one-minute window; revoked, expired and unknown say so", async () => {
    const row = await createApiToken(db(), token("ci", 1), "olga@example.com");
    const first = await useApiToken(db(), hash(1));
    const second = await useApiToken(db(), hash(1));
    expect(first).toMatchObject({
      kind: "ok",
      token: { id: row.id, name: "ci", role: "operator", createdBy: "olga@example.com" },
      callsThisWindow: 1,
    });
    expect(second).toMatchObject({ kind: "ok", callsThisWindow: 2 });
    if (second.kind === "ok") expect(second.windowResetsInSeconds).toBeGreaterThanOrEqual(1);
    expect(await useApiToken(db(), hash(9))).toEqual({ kind: "unknown" });
    await db().$executeRaw`UPDATE api_tokens SET expires_at = now() - interval '1 minute'`;
    expect(await useApiToken(db(), hash(1))).toEqual({ kind: "expired" });
    await revokeApiToken(db(), row.id, "ivan@example.com");
    expect(await useApiToken(db(), hash(1))).toEqual({ kind: "revoked" });
  });
});
