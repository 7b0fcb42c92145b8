import { describe, expect, it } from "vitest";

import { ValidationError } from "@/lib/domain/errors";
import { resolveConcurrency } from "@/lib/db/operations/resolve-concurrency";

describe("resolveConcurrency", () => {
  it.each<[number | undefined, Record<string, string>, number]>([
    [undefined, {}, 4],
    [undefined, { FLEETPIN_BULK_CONCURRENCY: "8" }, 8],
    [undefined, { FLEETPIN_BULK_CONCURRENCY: "many" }, 4],
    [undefined, { FLEETPIN_BULK_CONCURRENCY: "0" }, 4],
    [2, { FLEETPIN_BULK_CONCURRENCY: "8" }, 2],
  ])("%s with %j → %s", (requested, env, expected) => {
    expect(resolveConcurrency(requested, env as NodeJS.ProcessEnv)).toBe(expected);
  });

  it.each([0, 33, 1.5, Number.NaN])("rejects %s", (requested) => {
    expect(() => resolveConcurrency(requested, {} as NodeJS.ProcessEnv)).toThrow(ValidationError);
  });
});
