import { redirect } from "next/navigation";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";

import { createSession } from "@/lib/db/sessions";
import { createUser } from "@/lib/db/users";
import { ConflictError, DatabaseUnavailableError, ValidationError } from "@/lib/domain/errors";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { createActionDefiner, formDataToObject, UNEXPECTED_ERROR_MESSAGE, type ActionDeps } from "./define-action";
import { resolveSessionUser, type SessionUser } from "./session";
import { createSessionToken } from "./session-token";

const promoteSchema = z.object({
  templateName: z.string().min(1, { error: "Pick a template." }),
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, { error: "Enter a sha256 digest." }),
});
const DIGEST = `sha256:${"a".repeat(64)}`;

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const item of [value].flat()) data.append(key, item);
  return data;
}

describe.each(availableBackends())("defineAction with sessions on %s", (backend) => {
  const db = useTestDatabase(backend);
  let tokens: Record<"viewer" | "operator", string>;
  let currentToken: string | null;
  let revalidated: string[];
  let logged: Array<{ message: string; context: Record<string, unknown> }>;
  let calls: Array<{ input: unknown; user: SessionUser }>;

  // The real session check (cookie token → database), with the token supplied by the test.
  const deps: ActionDeps = {
    getUser: () => resolveSessionUser(db(), currentToken),
    revalidatePath: (path) => revalidated.push(path),
    logError: (message, context) => logged.push({ message, context }),
  };
  const defineAction = createActionDefiner(deps);

  const promoteAction = defineAction({
    name: "promoteAction",
    role: "operator",
    schema: promoteSchema,
    run: async (input, user) => {
      calls.push({ input, user });
      if (input.templateName === "conflict")
        throw new ConflictError("sha256:bbb… was pinned by alice@example.com a minute ago.");
      if (input.templateName === "invalid")
        throw new ValidationError("That digest is not in the registry.", { digest: ["Not found in the registry."] });
      if (input.templateName === "bug") throw new TypeError("cannot read properties of undefined");
      if (input.templateName === "redirect") redirect("/pins/hermes");
      return { templateName: input.templateName, by: user.email };
    },
    revalidate: ["/pins", "/audit"],
  });
  const viewAction = defineAction({ role: "viewer", schema: z.object({}), run: async (_input, user) => user.role });

  beforeAll(async () => {
    tokens = { viewer: "", operator: "" };
    for (const role of ["viewer", "operator"] as const) {
      const user = await createUser(
        db(),
        { email: `${role}@example.com`, passwordHash: "$argon2id$unused", role },
        "test",
      );
      const { token, id } = createSessionToken();
      await createSession(db(), { id, userId: user.id, now: new Date() });
      tokens[role] = token;
    }
  });
  beforeEach(() => {
    currentToken = null;
    revalidated = [];
    logged = [];
    calls = [];
  });

  it("refuses a caller without a session before looking at the input", async () => {
    const result = await promoteAction(null, form({ templateName: "" }));
    expect(result).toEqual({
      ok: false,
      code: "unauthenticated",
      message: "Your session has ended. Sign in again.",
      fieldErrors: undefined,
    });
    expect(calls).toEqual([]);
  });

  it("refuses an unknown or forged session token", async () => {
    currentToken = createSessionToken().token;
    expect(await promoteAction(null, form({ templateName: "hermes", digest: DIGEST }))).toMatchObject({
      ok: false,
      code: "unauthenticated",
    });
    expect(calls).toEqual([]);
  });

  it("refuses a viewer an operator action, whatever the input", async () => {
    currentToken = tokens.viewer;
    for (const fields of [{ templateName: "hermes", digest: DIGEST }, { templateName: "" }] as Array<
      Record<string, string>
    >) {
      const result = await promoteAction(null, form(fields));
      expect(result).toMatchObject({
        ok: false,
        code: "forbidden",
        message: "This needs the operator role; you are signed in as a viewer.",
      });
      expect(result.ok || result.fieldErrors).toBeFalsy();
    }
    expect(calls).toEqual([]);
    expect(revalidated).toEqual([]);
  });

  it("lets a viewer run a viewer action and an operator run both", async () => {
    currentToken = tokens.viewer;
    expect(await viewAction(null, form({}))).toMatchObject({ ok: true, data: "viewer" });
    currentToken = tokens.operator;
    expect(await viewAction(null, form({}))).toMatchObject({ ok: true, data: "operator" });
  });

  it("runs for an operator with the parsed input and the signed-in user, then revalidates", async () => {
    currentToken = tokens.operator;
    const result = await promoteAction(null, form({ templateName: "hermes", digest: DIGEST, extra: "ignored" }));
    expect(result).toMatchObject({ ok: true, data: { templateName: "hermes", by: "operator@example.com" } });
    expect(calls).toEqual([
      {
        input: { templateName: "hermes", digest: DIGEST },
        user: expect.objectContaining({ email: "operator@example.com", role: "operator" }),
      },
    ]);
    expect(revalidated).toEqual(["/pins", "/audit"]);
  });

  it("returns field errors for invalid input without running", async () => {
    currentToken = tokens.operator;
    const result = await promoteAction(null, form({ templateName: "", digest: "latest" }));
    expect(result).toEqual({
      ok: false,
      code: "invalid_input",
      message: "Some fields need attention.",
      fieldErrors: { templateName: ["Pick a template."], digest: ["Enter a sha256 digest."] },
    });
    expect(calls).toEqual([]);
    expect(revalidated).toEqual([]);
  });

  it("returns an expected error's own message and code, and does not revalidate", async () => {
    currentToken = tokens.operator;
    expect(await promoteAction(null, form({ templateName: "conflict", digest: DIGEST }))).toEqual({
      ok: false,
      code: "conflict",
      message: "sha256:bbb… was pinned by alice@example.com a minute ago.",
      fieldErrors: undefined,
    });
    expect(await promoteAction(null, form({ templateName: "invalid", digest: DIGEST }))).toEqual({
      ok: false,
      code: "invalid_input",
      message: "That digest is not in the registry.",
      fieldErrors: { digest: ["Not found in the registry."] },
    });
    expect(revalidated).toEqual([]);
    expect(logged).toEqual([]);
  });

  it("logs an unexpected error with context and answers generically", async () => {
    currentToken = tokens.operator;
    const result = await promoteAction(null, form({ templateName: "bug", digest: DIGEST }));
    expect(result).toEqual({
      ok: false,
      code: "internal_error",
      message: UNEXPECTED_ERROR_MESSAGE,
      fieldErrors: undefined,
    });
    expect(JSON.stringify(result)).not.toContain("cannot read properties");
    expect(logged).toHaveLength(1);
    expect(logged[0]?.message).toBe("server action promoteAction failed");
    expect(logged[0]?.context).toMatchObject({
      action: "promoteAction",
      user: "operator@example.com",
      role: "operator",
    });
    expect(logged[0]?.context.error).toBeInstanceOf(TypeError);
  });

  it("lets redirect() inside run through to Next.js", async () => {
    currentToken = tokens.operator;
    await expect(promoteAction(null, form({ templateName: "redirect", digest: DIGEST }))).rejects.toMatchObject({
      digest: expect.stringContaining("NEXT_REDIRECT"),
    });
  });

  it("reports a session check that fails with a bug generically instead of throwing", async () => {
    const broken = createActionDefiner({ ...deps, getUser: () => Promise.reject(new TypeError("session lookup bug")) });
    const action = broken({ name: "brokenAction", role: "viewer", schema: z.object({}), run: async () => 1 });
    expect(await action(null, form({}))).toMatchObject({
      ok: false,
      code: "internal_error",
      message: UNEXPECTED_ERROR_MESSAGE,
    });
    expect(logged[0]?.context).toMatchObject({ action: "brokenAction", user: null });
  });

  it("does not show a possibly signed-out caller the database's address when the session check cannot reach it", async () => {
    const outage = new DatabaseUnavailableError(
      "Cannot use the database (PostgreSQL at postgres://fleetpin:***@db.internal:5432/fleetpin): the server is not reachable.",
    );
    const broken = createActionDefiner({ ...deps, getUser: () => Promise.reject(outage) });
    const action = broken({ name: "outageAction", role: "viewer", schema: z.object({}), run: async () => 1 });
    const result = await action(null, form({}));
    expect(result).toMatchObject({
      ok: false,
      code: "database_unavailable",
      message: "Your session cannot be checked: the database is unavailable. Try again shortly.",
    });
    expect(JSON.stringify(result)).not.toContain("db.internal");
    expect(logged[0]?.context.error).toBe(outage);
  });
});

describe("formDataToObject", () => {
  it("keeps single fields, collects name[] fields into arrays and drops React's own fields", () => {
    const data = form({
      reason: "rollout",
      "workspaceIds[]": ["a", "b"],
      "only[]": "x",
      $ACTION_REF_1: "",
      $ACTION_KEY: "k",
    });
    expect(formDataToObject(data)).toEqual({ reason: "rollout", workspaceIds: ["a", "b"], only: ["x"] });
  });

  it("takes the last value of a repeated plain field, as Object.fromEntries does", () => {
    expect(formDataToObject(form({ mode: ["a", "b"] }))).toEqual({ mode: "b" });
  });
});
