import { DatabaseUnavailableError, isFleetpinError } from "@/lib/domain/errors";

// Node's socket codes, plus what @prisma/adapter-pg turns them into (kind DatabaseNotReachable) and Prisma's P1001.
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "ECONNRESET",
  "EHOSTUNREACH",
  "DatabaseNotReachable",
  "P1001",
]);

/**
 * Turns driver and Prisma errors about reaching the database into one
 * DatabaseUnavailableError whose message says what to check; anything else is
 * returned unchanged.
 */
export function translateDatabaseError(error: unknown, description: string): unknown {
  if (isFleetpinError(error)) return error;
  const details = collectDetails(error);
  const hint = (text: string) =>
    new DatabaseUnavailableError(`Cannot use the database (${description}): ${text}`, { cause: error });

  if (
    details.codes.some((code) => CONNECTION_CODES.has(code)) ||
    /connect(ion)? (refused|timeout|terminated)|timeout exceeded when trying to connect/i.test(details.text)
  ) {
    return hint("the server is not reachable. Is PostgreSQL running, and are host and port in DATABASE_URL right?");
  }
  if (
    details.codes.includes("28P01") ||
    details.codes.includes("28000") ||
    /password authentication failed/i.test(details.text)
  ) {
    return hint("authentication failed. Check the user and password in DATABASE_URL.");
  }
  if (details.codes.includes("3D000") || /database .* does not exist/i.test(details.text)) {
    return hint("the database named in DATABASE_URL does not exist. Create it first (createdb).");
  }
  if (/in use by process/i.test(details.text)) return hint(details.text);
  return error;
}

/** True when an error means the database cannot be reached at all (as opposed to a bad query). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return translateDatabaseError(error, "") instanceof DatabaseUnavailableError;
}

function collectDetails(error: unknown): { codes: string[]; text: string } {
  const codes: string[] = [];
  const texts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    if (typeof current !== "object") {
      texts.push(String(current));
      break;
    }
    const record = current as Record<string, unknown>;
    for (const key of ["code", "errno", "kind", "originalCode"]) {
      if (typeof record[key] === "string") codes.push(record[key] as string);
    }
    for (const key of ["message", "originalMessage"]) {
      if (typeof record[key] === "string") texts.push(record[key] as string);
    }
    if (Array.isArray(record.errors))
      for (const inner of record.errors) texts.push(String((inner as Error)?.message ?? inner));
    current = record.cause;
  }
  return { codes, text: texts.join(" | ") };
}
