import { z } from "zod";

import { problem, problemFromZod, type Problem } from "./problem";

/** The schemas a route validates its request with; each part is optional. */
export type InputSchemas = { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType };

/** What a schema parses to, or undefined for a part the route does not take. */
export type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export type ParsedInput<S extends InputSchemas> = {
  params: Parsed<S["params"]>;
  query: Parsed<S["query"]>;
  body: Parsed<S["body"]>;
};

/**
 * Validates a request's path parameters, query and JSON body against the route's schemas.
 * A path that names nothing valid is 404; a query or body that fails its schema is 422 with
 * every field's messages; a body that is not JSON is 400. An empty body counts as `{}`, so a
 * POST whose fields are all optional needs none. `rawBody` is the body's text, read once.
 */
export function parseRequestInput<S extends InputSchemas>(
  schemas: S,
  input: { params: Record<string, string | string[]>; url: URL; rawBody: string },
): { ok: true; value: ParsedInput<S> } | { ok: false; problem: Problem } {
  let params: unknown;
  if (schemas.params) {
    const parsed = schemas.params.safeParse(input.params);
    if (!parsed.success) {
      const fields = problemFromZod(parsed.error, "path").errors;
      return {
        ok: false,
        problem: problem(
          "not_found",
          `Nothing is at ${input.url.pathname}: ${Object.values(fields ?? {})
            .flat()
            .join(" ")}`,
          fields,
        ),
      };
    }
    params = parsed.data;
  }
  let query: unknown;
  if (schemas.query) {
    const parsed = schemas.query.safeParse(Object.fromEntries(input.url.searchParams));
    if (!parsed.success) return { ok: false, problem: problemFromZod(parsed.error, "query") };
    query = parsed.data;
  }
  let body: unknown;
  if (schemas.body) {
    let json: unknown = {};
    if (input.rawBody.trim() !== "") {
      try {
        json = JSON.parse(input.rawBody);
      } catch {
        return { ok: false, problem: problem("invalid_json", "The request body is not valid JSON.") };
      }
    }
    const parsed = schemas.body.safeParse(json);
    if (!parsed.success) return { ok: false, problem: problemFromZod(parsed.error, "body") };
    body = parsed.data;
  }
  return { ok: true, value: { params, query, body } as ParsedInput<S> };
}
