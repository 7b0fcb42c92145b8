import { describe, expect, it } from "vitest";

import { getDummyPasswordHash, hashPassword, verifyPassword, generatePassword } from "./password";
import { newPasswordProblem } from "./password-policy";

describe("password hashing", () => {
  it("hashes with argon2id at the baseline parameters, salted", async () => {
    const first = await hashPassword("correct horse battery");
    const second = await hashPassword("correct horse battery");
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain("correct horse battery");
  });

  it("verifies the right password and refuses others", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(await verifyPassword(stored, "correct horse battery")).toBe(true);
    expect(await verifyPassword(stored, "correct horse batterY")).toBe(false);
    expect(await verifyPassword(stored, "")).toBe(false);
  });

  it("treats a malformed stored hash as a mismatch instead of throwing", async () => {
    expect(await verifyPassword("not-a-hash", "anything")).toBe(false);
  });

  it("keeps one dummy hash with the same parameters as real ones", async () => {
    const dummy = await getDummyPasswordHash();
    expect(dummy).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await getDummyPasswordHash()).toBe(dummy);
    expect(await verifyPassword(dummy, "")).toBe(false);
  });
});

describe("password policy", () => {
  it.each([
    ["short", "at least 12"],
    ["x".repeat(257), "at most 256"],
    [" leading-space-pw", "spaces"],
    ["ops@example.com-2024", "email"],
    // #13 item 8: long enough, but no real secret.
    ["aaaaaaaaaaaa", "one repeated character"],
    ["############################", "one repeated character"],
    ["password1234", "too common"],
    ["Qwerty123456", "too common"],
    ["123456789012", "too common"],
  ])("refuses %j", (password, problem) => {
    expect(newPasswordProblem(password, "ops@example.com")).toContain(problem);
  });

  it("accepts a long passphrase and generated passwords", () => {
    expect(newPasswordProblem("tangerine kayak orbit", "ops@example.com")).toBeNull();
    const generated = generatePassword();
    expect(generated).toHaveLength(24);
    expect(newPasswordProblem(generated)).toBeNull();
    expect(generatePassword()).not.toBe(generated);
  });
});
