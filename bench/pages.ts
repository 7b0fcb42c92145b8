// Section 2: server render of the Workspaces and Stale fleet pages, as an
// operator's browser gets them: HTTP GET to the production build with a
// signed-in session cookie, timed until the last byte of the streamed HTML.
import { performance } from "node:perf_hooks";

import { SESSION_COOKIE } from "@/lib/auth/constants";
import { hashPassword } from "@/lib/auth/password";
import { createSessionToken } from "@/lib/auth/session-token";
import type { Db } from "@/lib/db/client";
import { createSession } from "@/lib/db/sessions";
import { createUser } from "@/lib/db/users";

import type { BenchConfig } from "./config";
import type { BenchDatabase } from "./databases";
import { startNextServer } from "./next-server";
import { stats, type Report } from "./report";
import { pageTarget } from "./targets";

// Both pages render a pagination summary ("50 shown of 97,012 …") only once their data section loaded.
const PAGES = [
  { path: "/workspaces", marker: " shown of " },
  { path: "/stale", marker: " shown of " },
];

/** Times GET of each page against a `next start` on `database` (seeded with `rows` workspaces). */
export async function measurePages(
  report: Report,
  database: BenchDatabase,
  rows: number,
  config: BenchConfig,
): Promise<void> {
  if (!database.url) throw new Error("the pages are timed against PostgreSQL only");
  const cookie = `${SESSION_COOKIE}=${await signedInViewer(database.db)}`;
  const server = await startNextServer({
    DATABASE_URL: database.url,
    // The pages probe Docker and the registry for their banners: point them at the live test services.
    MOLECULE_IMAGE_REGISTRY: `${process.env.TEST_REGISTRY_HOST}/fleetpin-bench`,
    FLEETPIN_CONTAINER_NETWORK: "none",
    // The render alone: the bench hosts' engines do not exist, and live state would mark every one of
    // their workspaces unknown (a million-row update) while the pages are timed; nor is the registry watched.
    FLEETPIN_LIVE_STATE: "0",
    FLEETPIN_REPAIR_INTERVAL_SECONDS: "0",
    FLEETPIN_WATCH_INTERVAL: "0",
  });
  try {
    for (const page of PAGES) {
      const get = () => getPage(`${server.baseUrl}${page.path}`, cookie, page.marker);
      // A server just started: its first renders compile and JIT the page, so the full run warms it up well first.
      for (let i = 0; i < (config.smoke ? 3 : 10); i++) await get();
      const total: number[] = [];
      const firstByte: number[] = [];
      for (let i = 0; i < config.pageRuns; i++) {
        const timing = await get();
        total.push(timing.total);
        firstByte.push(timing.firstByte);
      }
      const { median, p95 } = stats(total);
      const target = pageTarget(page.path, rows);
      report.add({
        name: "page_render_ms",
        labels: { page: page.path, backend: "postgres", rows },
        values: { median, p95, ttfb_median: stats(firstByte).median },
        ...(target ? { target } : {}),
        samples: total,
      });
    }
  } catch (error) {
    console.error(`# next start output:\n${server.output()}`);
    throw error;
  } finally {
    await server.stop();
  }
}

// A viewer and a live session written through Fleetpin's own auth data layer: the cookie the
// browser would hold after signing in, without timing argon2 on every request.
async function signedInViewer(db: Db): Promise<string> {
  const email = `bench-viewer-${Date.now()}@fleetpin.local`;
  const user = await createUser(
    db,
    { email, passwordHash: await hashPassword(createSessionToken().token), role: "viewer" },
    "bench",
  );
  const { token, id } = createSessionToken();
  await createSession(db, { id, userId: user.id, now: new Date() });
  return token;
}

async function getPage(url: string, cookie: string, marker: string): Promise<{ firstByte: number; total: number }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie }, redirect: "manual" });
  const firstByte = performance.now() - started;
  const body = await response.text();
  const total = performance.now() - started;
  if (response.status !== 200)
    throw new Error(`GET ${url} answered ${response.status} ${response.headers.get("location") ?? ""}`);
  if (!body.includes(marker))
    throw new Error(`GET ${url} rendered without its data section (no "${marker.trim()}"): ${body.slice(0, 500)}`);
  return { firstByte, total };
}
