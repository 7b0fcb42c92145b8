// The targets of the query and page figures, from the issues that set them: #7 (100k rows on
// PostgreSQL) and #16 (a million on PostgreSQL, 100k on PGlite). Pure, so it is table-tested.
import type { Target } from "./report";

const MILLION = 1_000_000;
const HUNDRED_K = 100_000;

/** The target of a query figure (`stale_count_ms`, `stale_page_ms`, `workspaces_page_ms`), if any. */
export function queryTarget(name: string, backend: "postgres" | "pglite", rows: number): Target | undefined {
  const under = (limit: number): Target => ({ key: "median", op: "<", limit });
  if (backend === "pglite") return name === "stale_count_ms" && rows >= HUNDRED_K ? under(50) : undefined;
  if (name === "stale_count_ms") return rows >= MILLION ? under(25) : rows >= HUNDRED_K ? under(50) : undefined;
  if (name === "stale_page_ms") return rows >= HUNDRED_K ? under(50) : undefined;
  if (name === "workspaces_page_ms") return rows >= MILLION ? under(50) : undefined;
  return undefined;
}

/** The target of a page's server render (PostgreSQL): `/stale` under 150 ms at a million workspaces. */
export function pageTarget(path: string, rows: number): Target | undefined {
  return path === "/stale" && rows >= MILLION ? { key: "median", op: "<", limit: 150 } : undefined;
}
