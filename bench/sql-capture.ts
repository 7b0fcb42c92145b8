// Captures the raw SQL a data-layer function really sends, so EXPLAIN runs on
// exactly that statement (and keeps doing so when lib/db/workspaces.ts changes),
// not on a copy that could drift from it.
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

/** One captured `$queryRaw` statement: text with $1… placeholders and its values. */
export type CapturedSql = { text: string; values: unknown[] };

/** Runs `work` against a client that records every `$queryRaw` it issues (and still runs it). */
export async function captureRawQueries<T>(
  db: Db,
  work: (db: Db) => Promise<T>,
): Promise<{ result: T; queries: CapturedSql[] }> {
  const queries: CapturedSql[] = [];
  const recording = db.$extends({
    query: {
      async $queryRaw({ args, query }) {
        const sql = args as unknown as Prisma.Sql;
        queries.push({ text: sql.text, values: [...sql.values] });
        return query(args);
      },
    },
  });
  // The extended client has the same runtime surface; its type is a different generic instance.
  const result = await work(recording as unknown as Db);
  return { result, queries };
}

/** EXPLAIN (ANALYZE, BUFFERS) of a captured statement, as plain text lines. */
export async function explainAnalyze(db: Db, sql: CapturedSql): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<Array<{ "QUERY PLAN": string }>>(
    `EXPLAIN (ANALYZE, BUFFERS) ${sql.text}`,
    ...sql.values,
  );
  return rows.map((row) => row["QUERY PLAN"]);
}

/** Index names a plan reads, and whether it scans the workspaces heap sequentially. */
export function planIndexes(plan: readonly string[]): { indexes: string[]; seqScanWorkspaces: boolean } {
  const indexes = new Set<string>();
  let seqScanWorkspaces = false;
  for (const line of plan) {
    for (const match of line.matchAll(
      /(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\w+)/g,
    ))
      indexes.add(match[1]!);
    if (/Seq Scan on workspaces\b/.test(line)) seqScanWorkspaces = true;
  }
  return { indexes: [...indexes].sort(), seqScanWorkspaces };
}
