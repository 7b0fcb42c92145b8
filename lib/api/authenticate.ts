import "server-only";

import type { Env } from "@/lib/config";
import { useApiToken } from "@/lib/db/api-tokens";
import type { Db } from "@/lib/db/client";
import { hasRole, type Role } from "@/lib/domain/roles";

import { apiTokenActor, bearerToken, hashApiToken, isWellFormedApiToken } from "./api-token";
import { problem, type Problem } from "./problem";
import { apiRateLimit, rateLimitHeaders } from "./rate-limit";

/** Who is calling: the token, its role, and the actor string its changes are recorded under. */
export type ApiCaller = { tokenId: string; name: string; role: Role; createdBy: string; actor: string };

export type Authentication =
  | { ok: true; caller: ApiCaller; headers: Record<string, string> }
  | { ok: false; problem: Problem; headers: Record<string, string> };

const REFUSALS = {
  unknown: "This API token is not known.",
  revoked: "This API token was revoked; ask an operator for a new one.",
  expired: "This API token has expired; ask an operator for a new one.",
} as const;

// RFC 6750 §3: a 401 names the scheme the client should use.
const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="fleetpin"' };

/**
 * The first checks of every /api/v1 call, in this order: a bearer token (401 without one, or
 * with one that is unknown, revoked or expired), the route's role (403), then the token's rate
 * limit (429 with Retry-After). Session cookies are never looked at: the API has no cookie
 * authentication, so a page in a browser cannot make calls on a signed-in operator's behalf.
 */
export async function authenticateApiRequest(db: Db, request: Request, role: Role, env?: Env): Promise<Authentication> {
  const token = bearerToken(request.headers.get("authorization"));
  if (!token) {
    return refuse(
      "Send an API token as `Authorization: Bearer fp_…`; create one under Settings → API tokens or with `npm run token:create`.",
    );
  }
  if (!isWellFormedApiToken(token))
    return refuse("That is not a Fleetpin API token (they look like fp_ followed by 43 characters).");

  const use = await useApiToken(db, hashApiToken(token));
  if (use.kind !== "ok") return refuse(REFUSALS[use.kind]);

  const caller: ApiCaller = {
    tokenId: use.token.id,
    name: use.token.name,
    role: use.token.role,
    createdBy: use.token.createdBy,
    actor: apiTokenActor(use.token),
  };
  if (!hasRole(caller.role, role)) {
    return {
      ok: false,
      problem: problem("forbidden", `This needs an ${role} token; "${caller.name}" is a ${caller.role} token.`),
      headers: {},
    };
  }
  const limit = apiRateLimit(env);
  const headers = rateLimitHeaders(limit, use.callsThisWindow, use.windowResetsInSeconds);
  if (use.callsThisWindow > limit) {
    const detail = `Token "${caller.name}" made more than ${limit} calls this minute; retry after ${use.windowResetsInSeconds} s.`;
    return { ok: false, problem: problem("rate_limited", detail), headers };
  }
  return { ok: true, caller, headers };
}

function refuse(detail: string): Authentication {
  return { ok: false, problem: problem("unauthenticated", detail), headers: CHALLENGE };
}
