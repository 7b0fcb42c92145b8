import "server-only";

import type { z } from "zod";

import type { Env } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { translateDatabaseError } from "@/lib/db/errors";
import type { Role } from "@/lib/domain/roles";

import { authenticateApiRequest, type ApiCaller } from "./authenticate";
import { IDEMPOTENCY_HEADER, withIdempotencyKey, type Answer } from "./idempotency";
import { problemFromError, type Problem } from "./problem";
import { parseRequestInput, type InputSchemas, type Parsed } from "./request-input";
import { jsonResponse, problemResponse } from "./respond";

export type ApiMethod = "GET" | "POST" | "PUT" | "DELETE";

/** What a route needs from the outside world; routes served by Next get defaultApiDeps(), tests their own. */
export type ApiDeps = {
  getDb: () => Promise<Db>;
  /** Starts a queued operation in the background (startOperation in production). */
  startOperation: (operationId: string) => void;
  /** A test's own environment; the process-wide config (lib/config) when absent. */
  env?: Env;
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
 * A POST with an Idempotency-Key runs at most once per key and token (see withIdempotencyKey):
 * a retry gets the first answer back, marked `Idempotent-Replayed: true`.
 */
export function defineApiRoute<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  B extends Schema = undefined,
>(options: ApiRouteOptions<P, Q, B>): ApiRoute {
  const handle = async (
    request: Request,
    params: Record<string, string | string[]>,
    deps: ApiDeps,
  ): Promise<Response> => {
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

      const run = async (): Promise<Answer> => {
        try {
          const { params: parsedParams, query, body: parsedBody } = input.value;
          const context = {
            params: parsedParams as Parsed<P>,
            query: query as Parsed<Q>,
            body: parsedBody as Parsed<B>,
            db,
            caller: auth.caller,
            deps,
            request,
          };
          return { status: options.success.status, body: await options.run(context) };
        } catch (error) {
          return errorAnswer(error, deps, options);
        }
      };
      const key = request.headers.get(IDEMPOTENCY_HEADER);
      const result =
        options.method === "POST" && key !== null
          ? await withIdempotencyKey(
              db,
              { tokenId: auth.caller.tokenId, key, method: options.method, path: url.pathname, rawBody },
              run,
            )
          : await run();
      return toResponse(result, options, headers);
    } catch (error) {
      return toResponse(errorAnswer(error, deps, options), options, headers);
    }
  };
  return { ...options, handle };
}

/** An answer as a Response: problem documents for errors, the Location of a success, a mark on replays. */
function toResponse(
  result: Answer,
  route: { location?: (body: never) => string | undefined },
  headers: Record<string, string>,
): Response {
  const extra: Record<string, string> = { ...headers };
  if (result.replayed) extra["Idempotent-Replayed"] = "true";
  if (result.status >= 400) return problemResponse(result.body as Problem, extra);
  const location = route.location?.(result.body as never);
  if (location) extra.Location = location;
  return jsonResponse(result.status, result.body, extra);
}

function errorAnswer(
  error: unknown,
  deps: ApiDeps,
  route: { method: string; path: string; fieldNames?: Record<string, string> },
): Answer {
  const translated = translateDatabaseError(error, "the configured database");
  const { problem, expected } = problemFromError(translated, route.fieldNames);
  if (!expected) deps.logError(`API ${route.method} ${route.path} failed`, { error });
  return { status: problem.status, body: problem };
}
