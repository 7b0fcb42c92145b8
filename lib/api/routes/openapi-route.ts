import "server-only";

import { buildOpenApiDocument } from "@/lib/api/openapi";
import { jsonResponse } from "@/lib/api/respond";

import { API_ROUTES } from "./index";

let cached: unknown;

/**
 * GET /openapi.json, without a token: the document describes the API and holds no data, and
 * tools (and people) fetch it before they have a token. Built once per process.
 */
export async function serveOpenApiDocument(): Promise<Response> {
  cached ??= buildOpenApiDocument(API_ROUTES);
  return jsonResponse(200, cached);
}
