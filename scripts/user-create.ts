// `npm run user:create -- --email a@b.c --role operator [--password …]` creates
// a dashboard user; `--reset-password --email a@b.c [--role …]` replaces an
// existing user's password (and signs them out everywhere). Without
// --password the password is read from stdin when something is piped in,
// otherwise a strong one is generated and printed once.
// Works on the configured database (DATABASE_URL, or the embedded PGlite
// folder, which must not be open in a running dashboard at the same time).
// Runs under `tsx --conditions react-server` so `server-only` resolves to its empty module.
import { userInfo } from "node:os";
import { parseArgs } from "node:util";

import { z } from "zod";

import { generatePassword, hashPassword } from "@/lib/auth/password";
import { newPasswordProblem } from "@/lib/auth/password-policy";
import { openDatabase, type Database } from "@/lib/db/client";
import { createUser, resetUserPassword } from "@/lib/db/users";
import { errorMessage } from "@/lib/domain/errors";
import { isRole, type Role } from "@/lib/domain/roles";

const USAGE = `Usage:
  npm run user:create -- --email <email> --role <viewer|operator> [--password <password>]
  npm run user:create -- --reset-password --email <email> [--role <viewer|operator>] [--password <password>]

Without --password the password is read from stdin when one is piped in
(echo "$PW" | npm run user:create -- …), otherwise a strong one is generated
and printed once. Passwords need at least 12 characters. Prefer stdin over
--password: command lines end up in shell history and process lists.
Uses DATABASE_URL, or the embedded database in FLEETPIN_DATA_DIR (default ./.data/pglite).`;

class UsageError extends Error {}

type Options = { email: string; role: Role | null; password: string | null; reset: boolean };

async function main(argv: string[]): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (error instanceof UsageError && error.message === "help") {
      console.log(USAGE);
      return 0;
    }
    console.error(`user:create: ${errorMessage(error)}\n\n${USAGE}`);
    return 2;
  }

  const supplied = options.password ?? (await readPasswordFromStdin());
  const password = supplied || generatePassword();
  if (supplied) {
    const problem = newPasswordProblem(supplied, options.email);
    if (problem) {
      console.error(`user:create failed: ${problem}`);
      return 1;
    }
  }

  let database: Database | undefined;
  try {
    database = await openDatabase();
    const actor = `cli:${safeUsername()}`;
    const passwordHash = await hashPassword(password);
    if (options.reset) {
      const user = await resetUserPassword(
        database.db,
        { email: options.email, passwordHash, role: options.role ?? undefined },
        actor,
      );
      const sessions = user.sessionsEnded === 1 ? "1 session" : `${user.sessionsEnded} sessions`;
      console.log(
        `Reset the password of ${user.email} (${user.role}); ended ${sessions}. Database: ${database.description}.`,
      );
    } else {
      const user = await createUser(
        database.db,
        { email: options.email, passwordHash, role: options.role as Role },
        actor,
      );
      console.log(`Created ${user.role} ${user.email}. Database: ${database.description}.`);
    }
    if (!supplied) console.log(`Password (shown only this once): ${password}`);
    return 0;
  } catch (error) {
    console.error(`user:create failed: ${oneLine(errorMessage(error))}`);
    return 1;
  } finally {
    await database?.close();
  }
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        email: { type: "string" },
        role: { type: "string" },
        password: { type: "string" },
        "reset-password": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
  if (values.help) throw new UsageError("help");
  const email = values.email?.trim().toLowerCase();
  if (!email) throw new UsageError("--email is required.");
  if (!z.email().safeParse(email).success)
    throw new UsageError(`${JSON.stringify(values.email)} is not a valid email address.`);
  const reset = values["reset-password"] ?? false;
  if (values.role !== undefined && !isRole(values.role))
    throw new UsageError(`--role must be viewer or operator (got ${JSON.stringify(values.role)}).`);
  if (!reset && values.role === undefined)
    throw new UsageError("--role is required: viewer (read only) or operator (may change pins and containers).");
  if (values.password !== undefined && values.password.length === 0)
    throw new UsageError("--password is empty; leave it out to generate one.");
  return { email, role: (values.role as Role | undefined) ?? null, password: values.password ?? null, reset };
}

/** The first line piped into stdin, or null when stdin is a terminal or empty. */
async function readPasswordFromStdin(): Promise<string | null> {
  if (process.stdin.isTTY) return null;
  // An open pipe that never sends anything would hang silently; say what we wait for.
  const hint = setTimeout(
    () => console.error("user:create: waiting for a password on stdin (close it, or use --password)…"),
    3_000,
  );
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const line = Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
    return line.length > 0 ? line : null;
  } finally {
    clearTimeout(hint);
  }
}

function safeUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`user:create failed: ${oneLine(errorMessage(error))}`);
    process.exitCode = 1;
  },
);
