import "server-only";

import { getDb } from "@/lib/db/client";
import { getLogger } from "@/lib/log/logger";
import { startQueuedOperation } from "@/lib/operations/queue/queue-operation";

import type { ApiDeps, ApiRoute } from "./define-api-route";

/**
 * The real world: the process database, the process-wide config (no env of its own), and operations handed to the job queue as
 * the dashboard's own actions hand them, so an API-started bulk runs on every worker process and
 * survives the dashboard that accepted it (in-process runs died with their process).
 */
export function defaultApiDeps(): ApiDeps {
  return { getDb, startOperation: (id) => startQueuedOperation(id), logError: logApiError };
}

/** The one place lib/api writes to the server log: failures the caller only sees as a generic 500. */
function logApiError(message: string, context: Record<string, unknown>): void {
  getLogger({ source: "api" }).error(context, message);
}

/** Next's context argument of a route handler; a route without dynamic segments gets `{}`. */
type NextRouteContext = { params: Promise<Record<string, string | string[]>> };

/** The function an app/api/v1 route.ts exports as GET, POST, PUT or DELETE for `route`. */
export function nextHandler(route: ApiRoute) {
  return async (request: Request, context: NextRouteContext): Promise<Response> =>
    route.handle(request, (await context?.params) ?? {}, defaultApiDeps());
}
