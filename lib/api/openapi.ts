import "server-only";

import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";

import { registryEventsEnvelopeSchema } from "@/lib/ledger/push-events";
import { MAX_EVENTS_BODY_BYTES } from "@/lib/ledger/receive-events";

import type { ApiRoute } from "./define-api-route";
import { DEFAULT_API_RATE_LIMIT } from "./rate-limit";

const problemShape = z
  .object({
    type: z.string().describe("urn:fleetpin:problem:<code>"),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().describe("what went wrong, safe to show"),
    code: z.string().describe("the same code the pages use: invalid_input, not_found, conflict, forbidden, …"),
    errors: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .describe("field (snake_case, dotted when nested) → its messages"),
    reason: z
      .enum(["quarantined", "cool_down"])
      .optional()
      .describe(
        "on a refused promote (409): the digest is quarantined (lift it first) or younger than the cool-down (send cool_down_override_reason)",
      ),
  })
  .meta({ id: "Problem" }); // zod's own metadata names the component; no extendZodWithOpenApi(z) patching needed

const ERRORS: Record<number, string> = {
  400: "The body is not JSON",
  401: "No token, or a token that is unknown, revoked or expired",
  403: "The token's role may not do this",
  404: "The path names nothing that exists",
  409: "The state moved (expected_digest), the operation already finished, or the Idempotency-Key's first request is still running",
  422: "A field is invalid (see errors), or the Idempotency-Key was used for another request",
  429: `More calls this minute than the token may make (FLEETPIN_API_RATE_LIMIT, default ${DEFAULT_API_RATE_LIMIT}); see Retry-After`,
};

/**
 * The OpenAPI 3.1 document of /api/v1, generated from each route's own zod schemas (the ones
 * that validate its requests) by @asteasolutions/zod-to-openapi, so it cannot drift from the code.
 */
export function buildOpenApiDocument(routes: readonly ApiRoute[]) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An API token (fp_…) from Settings → API tokens or `npm run token:create`.",
  });
  const problemContent = { "application/problem+json": { schema: problemShape } };

  for (const route of routes) {
    const errors = Object.fromEntries(
      Object.entries(ERRORS)
        .filter(([status]) => (status !== "400" || route.body) && (status !== "404" || route.params))
        .map(([status, description]) => [status, { description, content: problemContent }]),
    );
    registry.registerPath({
      method: route.method.toLowerCase() as "get" | "post" | "put" | "delete",
      path: route.path,
      operationId: `${route.method.toLowerCase()}${route.path.replace(/[{}]/g, "").replace(/[/-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
      summary: route.summary,
      description: [route.description, `Needs a ${route.role} token.`].filter(Boolean).join(" "),
      tags: [route.tag],
      security: [{ [bearer.name]: [] }],
      request: {
        params: route.params as z.ZodObject | undefined,
        query: route.query as z.ZodObject | undefined,
        headers:
          route.method === "POST"
            ? z.object({
                "Idempotency-Key": z
                  .string()
                  .max(255)
                  .optional()
                  .describe(
                    "retries with the same key and body within 24 h get the first answer, without the work being done again",
                  ),
              })
            : undefined,
        // Required only when {} would not do (an empty body counts as {}).
        body: route.body
          ? { required: !route.body.safeParse({}).success, content: { "application/json": { schema: route.body } } }
          : undefined,
      },
      responses: {
        [route.success.status]: {
          description: route.success.description,
          content: { "application/json": { schema: route.success.schema } },
        },
        ...errors,
      },
    });
  }
  registry.registerPath({
    method: "get",
    path: "/openapi.json",
    operationId: "getOpenapiJson",
    summary: "This document",
    description: "Needs no token.",
    tags: ["meta"],
    responses: {
      200: {
        description: "OpenAPI 3.1",
        content: { "application/json": { schema: z.object({ openapi: z.string() }).loose() } },
      },
    },
  });

  registerRegistryEvents(registry);

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Fleetpin API",
      version: "1",
      description:
        "Every operator action of the Fleetpin dashboard as JSON, with the same checks, audit rows and errors. Authenticate with `Authorization: Bearer fp_…`; errors are RFC 9457 problem documents.",
    },
    servers: [{ url: "/api/v1" }],
  });
}

/**
 * POST /registry/events is served under /api/v1 too, but for the registry, not for API tokens:
 * Distribution's notifications endpoint authenticates with FLEETPIN_REGISTRY_EVENTS_TOKEN and its
 * answers are `{ok, …}`, not problem documents (lib/ledger/receive-events.ts).
 */
function registerRegistryEvents(registry: OpenAPIRegistry): void {
  const eventsToken = registry.registerComponent("securitySchemes", "registryEvents", {
    type: "http",
    scheme: "bearer",
    description:
      "FLEETPIN_REGISTRY_EVENTS_TOKEN, the secret the registry's notifications endpoint sends; not an API token.",
  });
  const answer = (description: string) => ({
    description,
    content: {
      "application/json": {
        schema: z.object({
          ok: z.boolean(),
          recorded: z.number().int().optional().describe("template manifest pushes recorded"),
          skipped: z.number().int().optional().describe("other events: blobs, pulls, other repositories"),
          message: z.string().optional(),
        }),
      },
    },
  });
  const envelope = { schema: registryEventsEnvelopeSchema };
  registry.registerPath({
    method: "post",
    path: "/registry/events",
    operationId: "postRegistryEvents",
    summary: "The registry's push notifications (digest ledger)",
    description:
      "Point Distribution's `notifications.endpoints` here; each push of a template manifest is recorded in the digest ledger at once.",
    tags: ["ledger"],
    security: [{ [eventsToken.name]: [] }],
    request: {
      body: {
        required: true,
        content: { "application/vnd.docker.distribution.events.v1+json": envelope, "application/json": envelope },
      },
    },
    responses: {
      200: answer("Recorded"),
      400: answer("Not JSON, or not a notification envelope"),
      401: answer("Bad or missing bearer token"),
      413: answer(`Larger than ${MAX_EVENTS_BODY_BYTES} bytes`),
      503: answer("Registry events are off: FLEETPIN_REGISTRY_EVENTS_TOKEN is not set"),
    },
  });
}
