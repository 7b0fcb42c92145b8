import "server-only";

import { getDb } from "@/lib/db/client";
import { startOperation } from "@/lib/operations/run-operation";

import type { ApiDeps, ApiRoute } from "./define-api-route";
import { logApiError } from "./log";

/** The real world: the process database, operations run in this process, process.env. */
export function defaultApiDeps(): ApiDeps {
  return { getDb, startOperation: (id) => startOperation(id), env: process.env, logError: logApiError };
}

/** Next's context argument of a route handler; a route without dynamic segments gets `{}`. */
type NextRouteContext = { params: Promise<Record<string, string | string[]>> };

/** The function an app/api/v1 route.ts exports as GET, POST, PUT or DELETE for `route`. */
export function nextHandler(route: ApiRoute) {
  return async (request: Request, context: NextRouteContext): Promise<Response> =>
    route.handle(request, (await context?.params) ?? {}, defaultApiDeps());
}
