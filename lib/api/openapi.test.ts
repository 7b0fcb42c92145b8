/* eslint-disable @typescript-eslint/no-explicit-any -- the test walks the generated OpenAPI JSON freely */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { API_ROUTES } from "@/lib/api/routes/index";
import { serveOpenApiDocument } from "@/lib/api/routes/openapi-route";

import { buildOpenApiDocument } from "./openapi";

const API_DIR = path.join(process.cwd(), "app", "api", "v1");

/** Every method and path the app serves under /api/v1, read from its route.ts files. */
function servedRoutes(dir = API_DIR): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...servedRoutes(full));
    else if (entry.name === "route.ts") {
      const route = `/${path.relative(API_DIR, dir).split(path.sep).join("/")}`.replace(/\[(\w+)\]/g, "{$1}");
      for (const match of readFileSync(full, "utf8").matchAll(
        /export (?:const|(?:async )?function) (GET|POST|PUT|PATCH|DELETE)\b/g,
      ))
        found.push(`${match[1]} ${route}`);
    }
  }
  return found.sort();
}

describe("the OpenAPI document", () => {
  const document = buildOpenApiDocument(API_ROUTES) as {
    openapi: string;
    paths: Record<string, Record<string, any>>;
    components: any;
  };

  it("is OpenAPI 3.1 and describes every route app/api/v1 serves, and nothing else", () => {
    expect(document.openapi).toBe("3.1.0");
    const described = Object.entries(document.paths).flatMap(([route, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`),
    );
    const served = servedRoutes();
    expect(served.length).toBeGreaterThanOrEqual(14);
    expect(described.sort()).toEqual(served);
  });

  it("documents requests with the schemas that validate them, and errors as problem documents", () => {
    const promote = document.paths["/pins/{template}/promote"]!.post;
    const body = promote.requestBody.content["application/json"].schema;
    expect(Object.keys(body.properties).sort()).toEqual([
      "cool_down_override_reason",
      "digest",
      "expected_digest",
      "git_sha",
      "reason",
      "tag",
    ]);
    expect(body.required).toEqual(["reason"]);
    expect(promote.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`).sort()).toEqual([
      "header:Idempotency-Key",
      "path:template",
    ]);
    expect(promote.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(promote.responses).sort()).toEqual(["200", "400", "401", "403", "404", "409", "422", "429"]);
    expect(promote.responses["409"].content["application/problem+json"].schema).toEqual({
      $ref: "#/components/schemas/Problem",
    });
    const workspaces = document.paths["/workspaces"]!.get;
    expect(workspaces.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      "cursor",
      "host",
      "host_label",
      "limit",
      "q",
      "staleness",
      "status",
      "template",
    ]);
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("lists the rings and rollouts routes with their bodies, and rollout_id on promote", () => {
    expect(Object.keys(document.paths["/rings"]!).sort()).toEqual(["delete", "get", "put"]);
    const put = document.paths["/rings"]!.put;
    expect(put.security).toEqual([{ bearer: [] }]);
    expect(put.description).toContain("operator");
    const ring = put.requestBody.content["application/json"].schema.properties.rings.items;
    expect(Object.keys(ring.properties).sort()).toEqual([
      "auto_advance",
      "bake_seconds",
      "failure_budget",
      "max_unavailable",
      "name",
      "probe",
      "selector",
    ]);
    const filters = document.paths["/rollouts"]!.get.parameters.map((p: { name: string }) => p.name);
    expect(filters.sort()).toEqual(["limit", "status", "template"]);
    for (const control of ["pause", "resume", "abort", "advance"]) {
      const post = document.paths[`/rollouts/{id}/${control}`]!.post;
      expect(Object.keys(post.responses), control).toEqual(expect.arrayContaining(["200", "404", "409"]));
    }
    expect(document.paths["/rollouts/{id}/resume"]!.post.requestBody).toBeUndefined();
    const rollout = document.paths["/rollouts/{id}"]!.get.responses["200"].content["application/json"].schema;
    expect(rollout.properties.status.enum).toEqual(["running", "paused", "succeeded", "rolled_back", "aborted"]);
    expect(Object.keys(rollout.properties.rings.items.properties)).toEqual(
      expect.arrayContaining(["status", "workspaces", "bake_until", "gate"]),
    );
    const promoted = document.paths["/pins/{template}/promote"]!.post.responses["200"].content["application/json"];
    expect(promoted.schema.properties.rollout_id).toBeDefined();
    expect(promoted.schema.required).not.toContain("rollout_id");
  });

  it("describes the registry's notification endpoint with its own token, apart from the API tokens", () => {
    const events = document.paths["/registry/events"]!.post;
    expect(events.security).toEqual([{ registryEvents: [] }]);
    expect(Object.keys(events.responses).sort()).toEqual(["200", "400", "401", "413", "503"]);
    expect(events.requestBody.content["application/json"].schema.properties.events.type).toBe("array");
    // Every other operation but the document itself takes an API token.
    const tokenRoutes = Object.entries(document.paths).flatMap(([route, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => operation.security?.some((entry: object) => "bearer" in entry))
        .map(([method]) => `${method.toUpperCase()} ${route}`),
    );
    expect(tokenRoutes).toHaveLength(API_ROUTES.length);
  });

  it("is served as JSON at /openapi.json", async () => {
    const response = await serveOpenApiDocument();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect((await response.json()).info.title).toBe("Fleetpin API");
  });
});
