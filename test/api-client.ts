// Calls /api/v1 route handlers in-process, the way Next calls them, with a test's own database
// and operation runner, and makes tokens for them. Used by the lib/api and app/api/v1 tests.
import type { ApiDeps, ApiRoute } from "@/lib/api/define-api-route";
import { issueApiToken } from "@/lib/api/issue-token";
import type { Db } from "@/lib/db/client";
import type { Role } from "@/lib/domain/roles";

export const TOKEN_CREATOR = "olga@example.com";

/** Deps for a route under test: the test database, process env plus `env`, operations started by `startOperation`. */
export function testApiDeps(
  db: () => Db,
  overrides: Omit<Partial<ApiDeps>, "env"> & { env?: Record<string, string | undefined> } = {},
): ApiDeps & { errors: unknown[] } {
  const errors: unknown[] = [];
  return {
    getDb: async () => db(),
    startOperation: () => undefined,
    logError: (_message, context) => errors.push(context.error),
    ...overrides,
    env: { ...process.env, ...overrides.env } as NodeJS.ProcessEnv,
    errors,
  };
}

/** A fresh token of `role` (named uniquely unless told), returned with its secret. */
export async function makeToken(
  db: Db,
  role: Role,
  options: { name?: string; expiresInMs?: number } = {},
): Promise<{ token: string; id: string; name: string }> {
  const name = options.name ?? `${role}-${Math.random().toString(36).slice(2, 10)}`;
  const { token, row } = await issueApiToken(
    db,
    { name, role, expiresInMs: options.expiresInMs ?? null },
    TOKEN_CREATOR,
  );
  return { token, id: row.id, name };
}

export type CallOptions = {
  token?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
};

/** Calls `route` with a concrete path (e.g. `/pins/hermes/promote`) and returns status, headers and parsed JSON. */
export async function callRoute(
  route: ApiRoute,
  deps: ApiDeps,
  path: string,
  params: Record<string, string> = {},
  options: CallOptions = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read any field of any route's JSON
): Promise<{ status: number; headers: Headers; body: any }> {
  const url = new URL(`http://127.0.0.1:3000/api/v1${path}`);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const hasBody = options.rawBody !== undefined || options.body !== undefined;
  if (hasBody) headers["content-type"] = "application/json";
  const request = new Request(url, {
    method: route.method,
    headers,
    body: hasBody ? (options.rawBody ?? JSON.stringify(options.body)) : undefined,
  });
  const response = await route.handle(request, params, deps);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}
