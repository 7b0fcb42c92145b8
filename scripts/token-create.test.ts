import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { hashApiToken } from "@/lib/api/api-token";
import { openDatabase } from "@/lib/db/client";
import { runNpmScript, type ScriptRun } from "@/test/npm-script";

type Run = ScriptRun;

/** Runs `npm run token:create -- …` exactly as package.json spells it, minus npm itself. */
async function tokenCreate(args: string[], env: Record<string, string>): Promise<Run> {
  return runNpmScript("token:create", args, env);
}

describe("npm run token:create on the embedded database", () => {
  let scratch: string;
  let dataDir: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "fleetpin-token-create-"));
    dataDir = path.join(scratch, "pglite");
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it("prints only the token on stdout, stores only its hash, and says what it made on stderr", async () => {
    const run = await tokenCreate(["--name", "ci", "--role", "operator", "--expires-in", "90d"], {
      FLEETPIN_DATA_DIR: dataDir,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^fp_[A-Za-z0-9_-]{43}\n$/);
    expect(run.stderr).toMatch(/Created operator token "ci" \(expires \d{4}-/);
    const token = run.stdout.trim();

    const again = await tokenCreate(["--name", "ci", "--role", "viewer"], { FLEETPIN_DATA_DIR: dataDir });
    expect(again).toMatchObject({ code: 1, stdout: "" });
    expect(again.stderr).toContain("already exists");

    const database = await openDatabase({ kind: "pglite", dataDir });
    try {
      const rows = await database.db.apiToken.findMany();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        name: "ci",
        role: "operator",
        tokenHash: hashApiToken(token),
        createdBy: expect.stringMatching(/^cli:/),
      });
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(rows[0]!.expiresAt!.getTime() - rows[0]!.createdAt.getTime()).toBeGreaterThan(89 * 86_400_000);
    } finally {
      await database.close();
    }
  }, 240_000);

  it.each([
    [["--role", "operator"], /--name/],
    [["--name", "ci", "--role", "admin"], /--role must be viewer or operator/],
    [["--name", "has space", "--role", "viewer"], /--name/],
    [["--name", "ci", "--role", "viewer", "--expires-in", "forever"], /--expires-in/],
  ])(
    "refuses %j with usage on stderr and nothing on stdout",
    async (args, message) => {
      const run = await tokenCreate(args, { FLEETPIN_DATA_DIR: dataDir });
      expect(run).toMatchObject({ code: 2, stdout: "" });
      expect(run.stderr).toMatch(message);
    },
    120_000,
  );
});
