import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { sealSecret } from "@/lib/util/secret-box";

import { signingSecret, SigningSecretError } from "./signing-secret";

const key = randomBytes(32);
const KEYED = { FLEETPIN_SECRET_KEY: key.toString("base64") };
const OTHER_KEY = { FLEETPIN_SECRET_KEY: randomBytes(32).toString("base64") };
const NO_KEY_ON_POSTGRES = { DATABASE_URL: "postgres://fleetpin@127.0.0.1:5432/fleetpin" };

describe("signingSecret", () => {
  it("opens a sealed secret with the key", async () => {
    expect(await signingSecret(sealSecret("whsec_abc", key), KEYED)).toBe("whsec_abc");
  });

  it.each([
    ["with a key", KEYED],
    ["without any key on PostgreSQL", NO_KEY_ON_POSTGRES],
  ])("signs with a plain (not yet sealed) secret as it is, %s", async (_what, env) => {
    expect(await signingSecret("whsec_plain", env)).toBe("whsec_plain");
    expect(await signingSecret("v1:plain:but:versioned-looking", env)).toBe("v1:plain:but:versioned-looking");
  });

  it.each([
    ["another key", OTHER_KEY, /cannot be opened with this key \(was FLEETPIN_SECRET_KEY changed\?\)/],
    ["no key on PostgreSQL", NO_KEY_ON_POSTGRES, /Set FLEETPIN_SECRET_KEY/],
  ])("refuses a sealed secret with %s, naming FLEETPIN_SECRET_KEY", async (_what, env, message) => {
    const attempt = signingSecret(sealSecret("whsec_abc", key), env);
    await expect(attempt).rejects.toBeInstanceOf(SigningSecretError);
    await expect(attempt).rejects.toThrow(message);
    await expect(attempt).rejects.toThrow(/^not sent: the endpoint's secret cannot be opened: /);
  });
});
