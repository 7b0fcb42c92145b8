import { describe, expect, it } from "vitest";

import { ConfigError, reprovisionConfig } from "@/lib/config";
import { ValidationError } from "@/lib/domain/errors";

import { resolveConcurrency } from "./resolve-concurrency";

describe("resolveConcurrency", () => {
  it.each<[number | undefined, Record<string, string>, number]>([
    [undefined, {}, 4],
    [undefined, { FLEETPIN_BULK_CONCURRENCY: "8" }, 8],
    [2, { FLEETPIN_BULK_CONCURRENCY: "8" }, 2],
  ])("%s with %j → %s", (requested, env, expected) => {
    expect(resolveConcurrency(requested, reprovisionConfig(env))).toBe(expected);
  });

  // A bad value no longer falls back to 4 at enqueue time: it stops start-up, naming the variable.
  it.each(["many", "0", "33"])("FLEETPIN_BULK_CONCURRENCY=%s is refused by the config", (value) => {
    expect(() => reprovisionConfig({ FLEETPIN_BULK_CONCURRENCY: value })).toThrow(ConfigError);
    expect(() => reprovisionConfig({ FLEETPIN_BULK_CONCURRENCY: value })).toThrow(
      "FLEETPIN_BULK_CONCURRENCY must be a whole number from 1 to 32",
    );
  });

  it.each([0, 33, 1.5, Number.NaN])("rejects %s", (requested) => {
    expect(() => resolveConcurrency(requested, { bulkConcurrency: 4 })).toThrow(ValidationError);
  });
});
