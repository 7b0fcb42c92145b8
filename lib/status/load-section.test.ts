import { describe, expect, it } from "vitest";

import { ConflictError, DatabaseUnavailableError } from "@/lib/domain/errors";

import { loadSection } from "./load-section";

describe("loadSection", () => {
  it("wraps data", async () => {
    await expect(loadSection(async () => [1, 2])).resolves.toEqual({ ok: true, data: [1, 2] });
  });

  it("turns expected errors into a message and code for a banner", async () => {
    await expect(loadSection(async () => Promise.reject(new DatabaseUnavailableError("db down")))).resolves.toEqual({
      ok: false,
      message: "db down",
      code: "database_unavailable",
    });
    await expect(loadSection(async () => Promise.reject(new ConflictError("raced")))).resolves.toMatchObject({
      ok: false,
      code: "conflict",
    });
  });

  it("recognises a raw driver connection error as the database being unavailable", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const result = await loadSection(async () => Promise.reject(refused));
    expect(result).toMatchObject({ ok: false, code: "database_unavailable" });
  });

  it("rethrows bugs untouched, for the error boundary and the log", async () => {
    const bug = new TypeError("undefined is not a function");
    await expect(loadSection(async () => Promise.reject(bug))).rejects.toBe(bug);
  });
});
