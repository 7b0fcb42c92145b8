import "server-only";

import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { z } from "zod";

import { generatePassword, hashPassword } from "@/lib/auth/password";
import { newPasswordProblem } from "@/lib/auth/password-policy";
import { authConfig, type Env, serverConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { databaseConfigFromEnv } from "@/lib/db/config";
import { countUsers, createUser } from "@/lib/db/users";
import { ConflictError, ValidationError } from "@/lib/domain/errors";

export const DEFAULT_ADMIN_EMAIL = "admin@fleetpin.local";
export const INITIAL_ADMIN_FILE = "initial-admin.txt";
const ACTOR = "system:first-start";

export type FirstAdminResult =
  | { created: false }
  | { created: true; email: string; generatedPassword: string | null; credentialsFile: string | null };

/**
 * On a database without users, creates the first operator so the dashboard is
 * never open and never unusable: FLEETPIN_ADMIN_EMAIL (+ FLEETPIN_ADMIN_PASSWORD)
 * when set, else admin@fleetpin.local with a generated password. A generated
 * password is written to initial-admin.txt (mode 0600) inside the embedded
 * database's data folder, or inside ./.data (0700) with PostgreSQL; the log
 * says only where, since more people read a server log than should sign in
 * (#13 item 8). Bad env values throw a ValidationError naming the variable.
 * Does nothing once any user exists.
 */
/** `env`: an environment of the caller's own (tests); the process-wide config otherwise. */
export async function ensureFirstAdmin(
  db: Db,
  env: Env | undefined,
  log: (message: string) => void,
): Promise<FirstAdminResult> {
  if ((await countUsers(db)) > 0) return { created: false };

  const { adminEmail: configuredEmail, adminPassword } = authConfig(env);
  const email = configuredEmail ? parseEmail(configuredEmail) : DEFAULT_ADMIN_EMAIL;
  const configuredPassword = configuredEmail ? adminPassword : undefined;
  if (configuredPassword) {
    const problem = newPasswordProblem(configuredPassword, email);
    if (problem) throw new ValidationError(`FLEETPIN_ADMIN_PASSWORD is not acceptable: ${problem}`);
  }
  const password = configuredPassword || generatePassword();

  try {
    await createUser(db, { email, passwordHash: await hashPassword(password), role: "operator" }, ACTOR);
  } catch (error) {
    // Another instance starting at the same moment created it first: that is fine.
    if (error instanceof ConflictError) return { created: false };
    throw error;
  }

  if (configuredPassword) {
    log(`[fleetpin] Created the first operator ${email} from FLEETPIN_ADMIN_EMAIL / FLEETPIN_ADMIN_PASSWORD.`);
    return { created: true, email, generatedPassword: null, credentialsFile: null };
  }

  const listen = serverConfig(env);
  const loginUrl = `http://${displayHost(listen.host)}:${listen.port}/login`;
  const credentialsFile = await writeCredentialsFile(env, { loginUrl, email, password });
  log(
    box([
      "Fleetpin created the first operator account.",
      "",
      `Sign in at ${loginUrl} as ${email} with the password saved in ${credentialsFile}`,
      "(readable only by the user running Fleetpin; delete it after signing in)",
      `— change it with npm run user:create -- --reset-password --email ${email}`,
    ]),
  );
  return { created: true, email, generatedPassword: password, credentialsFile };
}

function parseEmail(value: string): string {
  const parsed = z.email().safeParse(value.toLowerCase());
  if (!parsed.success)
    throw new ValidationError(`FLEETPIN_ADMIN_EMAIL is not a valid email address: ${JSON.stringify(value)}`);
  return parsed.data;
}

// "next start -H 0.0.0.0" listens everywhere; a browser on this machine reaches it as localhost.
function displayHost(value: string): string {
  if (value === "0.0.0.0" || value === "::" || value === "[::]") return "localhost";
  return value.includes(":") && !value.startsWith("[") ? `[${value}]` : value;
}

/**
 * Inside the embedded database's folder (0700, see data-dir-permissions.ts);
 * with PostgreSQL (or an in-memory PGlite) there is no such folder, so
 * ./.data, created owner-only as well.
 */
async function writeCredentialsFile(
  env: Env | undefined,
  details: { loginUrl: string; email: string; password: string },
): Promise<string> {
  const config = databaseConfigFromEnv(env);
  const folder =
    config.kind === "pglite" && !config.dataDir.startsWith("memory://")
      ? config.dataDir
      : path.resolve(/*turbopackIgnore: true*/ ".data");
  const file = path.join(folder, INITIAL_ADMIN_FILE);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const text = [
    "Fleetpin initial operator account",
    `Sign in at: ${details.loginUrl}`,
    `Email:      ${details.email}`,
    `Password:   ${details.password}`,
    "",
    `Change the password with: npm run user:create -- --reset-password --email ${details.email}`,
    "Then delete this file.",
    "",
  ].join("\n");
  await writeFile(file, text, { mode: 0o600 });
  // mode applies only when the file is new; an old file from an earlier install gets it too.
  await chmod(file, 0o600);
  return file;
}

function box(lines: string[]): string {
  const width = Math.max(...lines.map((line) => line.length));
  const border = "─".repeat(width + 2);
  return [`┌${border}┐`, ...lines.map((line) => `│ ${line.padEnd(width)} │`), `└${border}┘`].join("\n");
}
