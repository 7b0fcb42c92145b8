// `npm run token:create -- --name ci --role operator [--expires-in 90d]` creates an API token
// for /api/v1 and prints it on stdout, and nothing else there, so
//   TOKEN=$(npm run -s token:create -- --name ci --role operator)
// works; what was created is said on stderr. The token is shown only this once.
// Works on the configured database (DATABASE_URL, or the embedded PGlite folder, which must
// not be open in a running dashboard at the same time), like user:create.
// Runs under `tsx --conditions react-server` so `server-only` resolves to its empty module.
import { userInfo } from "node:os";
import { parseArgs } from "node:util";

import { issueApiToken } from "@/lib/api/issue-token";
import { openDatabase, type Database } from "@/lib/db/client";
import { errorMessage } from "@/lib/domain/errors";
import { isRole, type Role } from "@/lib/domain/roles";
import { apiTokenNameSchema, expiresInSchema } from "@/lib/schemas/api-token";

const USAGE = `Usage:
  npm run token:create -- --name <name> --role <viewer|operator> [--expires-in <90d|12h|2w>]

Prints the new API token (fp_…) on stdout, only this once; use it as
"Authorization: Bearer <token>" on /api/v1. Without --expires-in it never expires;
revoke it under Settings → API tokens.
Uses DATABASE_URL, or the embedded database in FLEETPIN_DATA_DIR (default ./.data/pglite).`;

type Options = { name: string; role: Role; expiresInMs: number | null };

async function main(argv: string[]): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (errorMessage(error) === "help") {
      console.error(USAGE);
      return 0;
    }
    console.error(`token:create: ${errorMessage(error)}\n\n${USAGE}`);
    return 2;
  }
  let database: Database | undefined;
  try {
    database = await openDatabase();
    const { token, row } = await issueApiToken(database.db, options, `cli:${safeUsername()}`);
    const expiry = row.expiresAt ? `expires ${row.expiresAt.toISOString()}` : "never expires";
    console.error(`Created ${row.role} token "${row.name}" (${expiry}). Database: ${database.description}.`);
    process.stdout.write(`${token}\n`);
    return 0;
  } catch (error) {
    console.error(
      `token:create failed: ${errorMessage(error)
        .replace(/\s*\n\s*/g, " ")
        .trim()}`,
    );
    return 1;
  } finally {
    await database?.close();
  }
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      name: { type: "string" },
      role: { type: "string" },
      "expires-in": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) throw new Error("help");
  const name = apiTokenNameSchema.safeParse(values.name ?? "");
  if (!name.success) throw new Error(`--name: ${name.error.issues[0]?.message}`);
  if (!isRole(values.role))
    throw new Error(`--role must be viewer or operator (got ${JSON.stringify(values.role ?? null)}).`);
  const expiresIn = expiresInSchema.safeParse(values["expires-in"]);
  if (!expiresIn.success) throw new Error(`--expires-in: ${expiresIn.error.issues[0]?.message}`);
  return { name: name.data, role: values.role, expiresInMs: expiresIn.data };
}

function safeUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`token:create failed: ${errorMessage(error)}`);
    process.exitCode = 1;
  },
);
