import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createUser } from "@/lib/db/users";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { hashPassword, verifyPassword } from "./password";
import { signIn } from "./sign-in";

const PASSWORD = "tangerine kayak orbit";
const T0 = new Date("2026-03-01T08:00:00Z");

// Issue #13 item 1: the limits must hold when the posts arrive together, so
// the attempt is reserved (one atomic statement) before any hash is checked.
describe.each(availableBackends())("sign-in limits under 40 concurrent attempts on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["users", "sessions", "audit_log", "login_throttle"] });
  let passwordHash: string;
  let checks = 0;
  let checkedPasswords: string[] = [];
  const verify = async (hash: string, password: string) => {
    checks++;
    checkedPasswords.push(password);
    return verifyPassword(hash, password);
  };

  beforeAll(async () => {
    passwordHash = await hashPassword(PASSWORD);
  });
  beforeEach(async () => {
    checks = 0;
    checkedPasswords = [];
    await createUser(db(), { email: "ops@example.com", passwordHash, role: "operator" }, "test");
  });

  it("checks at most 5 passwords for one email (39 wrong, the right one last) and opens no session", async () => {
    const posts = Array.from({ length: 40 }, (_, i) =>
      signIn(
        db(),
        {
          email: "ops@example.com",
          password: i === 39 ? PASSWORD : `wrong password ${i}`,
          clientAddress: `10.20.0.${i}`,
        },
        { now: T0, verify },
      ),
    );
    const results = await Promise.all(posts);

    expect(checks).toBe(5);
    expect(results.filter((result) => !result.ok && result.code === "rate_limited")).toHaveLength(35);
    // Posted last, the right password is refused unchecked, unless the pool happened to run it among the first five.
    const rightChecked = checkedPasswords.includes(PASSWORD);
    expect(results[39]).toMatchObject(rightChecked ? { ok: true } : { ok: false, code: "rate_limited" });
    expect(await db().session.count()).toBe(rightChecked ? 1 : 0);
  });

  it("checks at most 20 passwords from one address trying 40 emails at once", async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        signIn(
          db(),
          { email: `guess${i}@example.com`, password: "wrong password!", clientAddress: "192.0.2.66" },
          { now: T0, verify },
        ),
      ),
    );
    expect(checks).toBe(20);
    expect(results.filter((result) => !result.ok && result.code === "rate_limited")).toHaveLength(20);
  });
});
