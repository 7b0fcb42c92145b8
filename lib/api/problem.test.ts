import { describe, expect, it } from "vitest";
import { z } from "zod";

import {
  ConflictError,
  DatabaseUnavailableError,
  DigestCoolDownError,
  DigestQuarantinedError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from "@/lib/domain/errors";
import { RegistryUnreachableError } from "@/lib/provisioner/registry/errors";

import { INTERNAL_ERROR_DETAIL, problem, problemFromError, problemFromZod, toSnakeCase } from "./problem";

describe("problem documents", () => {
  it.each([
    [new ValidationError("bad", { expectedDigest: ["not a digest"] }), 422, "invalid_input"],
    [new NotFoundError("no such template"), 404, "not_found"],
    [new ConflictError("the pin moved"), 409, "conflict"],
    [new ForbiddenError(), 403, "forbidden"],
    [new UnauthenticatedError(), 401, "unauthenticated"],
    [new DatabaseUnavailableError("down"), 503, "database_unavailable"],
    [
      new RegistryUnreachableError({ registry: "r.example", repository: "x" }, "r.example:443", "ECONNREFUSED"),
      502,
      "registry_unreachable",
    ],
  ])("maps %s to its status and code, keeping the message", (error, status, code) => {
    const { problem: body, expected } = problemFromError(error);
    expect(expected).toBe(true);
    expect(body).toMatchObject({ status, code, detail: error.message, type: `urn:fleetpin:problem:${code}` });
    expect(body.title).not.toBe("");
  });

  it("says which rule refused a promote: quarantine or cool-down, a moved pin is a plain conflict", () => {
    const quarantined = new DigestQuarantinedError("quarantined", { at: new Date(), by: "ops", reason: "broken" });
    expect(problemFromError(quarantined).problem).toMatchObject({
      status: 409,
      code: "conflict",
      reason: "quarantined",
    });
    const young = new DigestCoolDownError("too young", 5, 3600);
    expect(problemFromError(young).problem).toMatchObject({ status: 409, code: "conflict", reason: "cool_down" });
    expect(problemFromError(new ConflictError("the pin moved")).problem).not.toHaveProperty("reason");
  });

  it("turns lib's camelCase field errors into the API's names", () => {
    const error = new ValidationError("bad", { expectedDigest: ["not a digest"], digestOrTag: ["no such tag"] });
    expect(problemFromError(error).problem.errors).toEqual({
      expected_digest: ["not a digest"],
      digest_or_tag: ["no such tag"],
    });
    expect(problemFromError(error, { digestOrTag: "tag" }).problem.errors).toEqual({
      expected_digest: ["not a digest"],
      tag: ["no such tag"],
    });
  });

  it("answers anything unexpected generically, never with its message", () => {
    const { problem: body, expected } = problemFromError(
      new TypeError("Cannot read properties of undefined (SELECT secret)"),
    );
    expect(expected).toBe(false);
    expect(body).toEqual({
      type: "urn:fleetpin:problem:internal_error",
      title: "Internal server error",
      status: 500,
      detail: INTERNAL_ERROR_DETAIL,
      code: "internal_error",
    });
  });

  it("lists every failing field of a zod error by its path", () => {
    const schema = z.object({
      reason: z.string().min(1, { error: "Give a reason." }),
      nested: z.object({ git_sha: z.string().regex(/^[0-9a-f]+$/) }),
    });
    const result = schema.safeParse({ reason: "", nested: { git_sha: "XYZ" } });
    const body = problemFromZod(result.error!, "body");
    expect(body.status).toBe(422);
    expect(body.errors).toEqual({ reason: ["Give a reason."], "nested.git_sha": [expect.any(String)] });
    expect(body.detail).toContain("reason, nested.git_sha");
    expect(problemFromZod(z.object({ a: z.string() }).safeParse(7).error!, "query").errors).toEqual({
      query: [expect.any(String)],
    });
  });

  it("leaves out an empty errors map", () => {
    expect(problem("conflict", "x", {})).not.toHaveProperty("errors");
    expect(problem("some_new_code", "x").status).toBe(400);
  });

  it.each([
    ["expectedDigest", "expected_digest"],
    ["gitSha", "git_sha"],
    ["reason", "reason"],
  ])("%s → %s", (from, to) => {
    expect(toSnakeCase(from)).toBe(to);
  });
});
