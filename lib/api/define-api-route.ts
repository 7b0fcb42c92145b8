import "server-only";

import type { z } from "zod";

import type { Role } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/client";
import { translateDatabaseError } from "@/lib/db/errors";
import { authenticateApiRequest, type ApiCaller } from "./authenticate";
import { problemFromError } from "./problem";
import { parseRequestInput, type InputSchemas, type Parsed } from "./request-input";
import { jsonResponse, problemResponse } from "./respond";

export type ApiMethod = "GET" | "POST" | "DELETE";

/** What a route needs from the outside world; routes served by Next get defaultApiDeps(), tests their own. */
export type ApiDeps = {
  getDb: () => Promise<Db>;
  /** Starts a queued operation in the background (startOperation in production). */
  startOperation: (operationId: string) => void;
  env: NodeJS.ProcessEnv;
  logError: (message: string, context: Record<string, unknown>) => void;
};

type Schema = z.ZodType | undefined;

/** What a route's `run` gets: the database, the caller, and its request already validated. */
export type ApiContext<P extends Schema, Q extends Schema, B extends Schema> = {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  db: Db;
  caller: ApiCaller;
  deps: ApiDeps;
  request: Request;
};

/** A route's description: its validation schemas (path parameters, query, JSON body), who may call it, and what it does. */
export type ApiRouteOptions<P extends Schema, Q extends Schema, B extends Schema> = {
  params?: P;
  query?: Q;
  body?: B;
  method: ApiMethod;
  /** The path under /api/v1 in OpenAPI form, e.g. `/pins/{template}/promote`. */
  path: string;
  /** The least token role allowed: "viewer" or "operator". */
  role: Role;
  summary: string;
  description?: string;
  tag: string;
  /** The success status and the schema of its body (for the OpenAPI document). */
  success: { status: 200 | 202; description: string; schema: z.ZodType };
  /** How lib/'s form field names (ValidationError.fieldErrors) are spelled in this route's body, e.g. `{ digestOrTag: "tag" }`. */
  fieldNames?: Record<string, string>;
  /** A Location header for the success answer, e.g. the operation to poll. */
  location?: (body: never) => string | undefined;
  run: (context: ApiContext<P, Q, B>) => Promise<unknown>;
};

/** A defined route: its description (for the OpenAPI document and tests) and `handle`, the whole request → response. */
export type ApiRoute = Omit<ApiRouteOptions<Schema, Schema, Schema>, "run"> & {
  handle: (request: Request, params: Record<string, string | string[]>, deps: ApiDeps) => Promise<Response>;
};

/**
 * Defines an /api/v1 route. Every call goes through the same steps, in this order:
 * bearer token (401), role (403), rate limit (429 + Retry-After), then the path, query and
 * JSON body are validated with the route's zod schemas (404 / 422 with field errors / 400),
 * then `run` calls the same lib/ function the page's server action calls, as the token's
 * actor (`token:<name> (created by <email>)`). Expected errors (lib/errors.ts) become RFC 9457
 * problem documents with their status (409 for a pin that moved, …); anything else is logged
 * and answered with a generic 500. `run` returns the success body (snake_case JSON).
 */
export function defineApiRoute<P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined>(
  options: ApiRouteOptions<P, Q, B>,
): ApiRoute {
  const handle = async (request: Request, params: Record<string, string | string[]>, deps: ApiDeps): Promise<Response> => {
    let headers: Record<string, string> = {};
    try {
      const db = await deps.getDb();
      const auth = await authenticateApiRequest(db, request, options.role, deps.env);
      headers = auth.headers;
      if (!auth.ok) return problemResponse(auth.problem, headers);

      const url = new URL(request.url);
      const rawBody = options.body ? await request.text() : "";
      const input = parseRequestInput(options as InputSchemas, { params, url, rawBody });
      if (!input.ok) return problemResponse(input.problem, headers);

      const { params: parsedParams, query, body: parsedBody } = input.value;
      const context = { params: parsedParams as Parsed<P>, query: query as Parsed<Q>, body: parsedBody as Parsed<B>, db, caller: auth.caller, deps, request };
      const body = await options.run(context);
      const location = options.location?.(body as never);
      return jsonResponse(options.success.status, body, location ? { ...headers, Location: location } : headers);
    } catch (error) {
      return errorResponse(error, deps, options, headers);
    }
  };
  return { ...options, handle };
}

function errorResponse(error: unknown, deps: ApiDeps, route: { method: string; path: string; fieldNames?: Record<string, string> }, headers: Record<string, string>): Response {
  const translated = translateDatabaseError(error, "the configured database");
  const { problem, expected } = problemFromError(translated, route.fieldNames);
  if (!expected) deps.logError(`API ${route.method} ${route.path} failed`, { error });
  return problemResponse(problem, headers);
}
