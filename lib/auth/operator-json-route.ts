import "server-only";

import { NextResponse } from "next/server";
import type { z } from "zod";

import { translateDatabaseError } from "@/lib/db/errors";
import { isFleetpinError } from "@/lib/domain/errors";
import { getLogger } from "@/lib/log/logger";

import { requireRole } from "./session";

const STATUS_BY_CODE: Record<string, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  database_unavailable: 503,
};
const NO_STORE = { "Cache-Control": "no-store" };

/**
 * A GET handler for the dashboard's own JSON (the confirm dialogs' previews): a signed-in operator
 * (route handlers are public URLs, so it authenticates itself), the query parsed by `query`, then
 * `run`. Expected errors answer with their message and code (`otherErrorStatus` for codes without
 * their own status, e.g. a registry failure); anything else is logged and answered generically.
 */
export function operatorJsonRoute<Q extends z.ZodType>(route: {
  name: string;
  query: Q;
  badQuery: string;
  otherErrorStatus: number;
  run: (query: z.infer<Q>) => Promise<unknown>;
}): (request: Request) => Promise<NextResponse> {
  return async (request) => {
    try {
      await requireRole("operator");
      const query = route.query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
      if (!query.success) return NextResponse.json({ message: route.badQuery }, { status: 400, headers: NO_STORE });
      return NextResponse.json(await route.run(query.data), { headers: NO_STORE });
    } catch (error) {
      const expected = translateDatabaseError(error, "the configured database");
      if (isFleetpinError(expected)) {
        const status = STATUS_BY_CODE[expected.code] ?? route.otherErrorStatus;
        return NextResponse.json({ message: expected.message, code: expected.code }, { status, headers: NO_STORE });
      }
      getLogger({ source: "api" }).error({ err: error, route: route.name }, `${route.name} failed`);
      return NextResponse.json(
        { message: "Something went wrong. The error was logged." },
        { status: 500, headers: NO_STORE },
      );
    }
  };
}
