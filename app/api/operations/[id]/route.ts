import { NextResponse } from "next/server";

import { requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { translateDatabaseError } from "@/lib/db/errors";
import { getOperationProgress } from "@/lib/db/operations/get-operation-progress";
import { isFleetpinError } from "@/lib/domain/errors";
import { getLogger } from "@/lib/log/logger";
import { uuidSchema } from "@/lib/schemas/fields";

export const dynamic = "force-dynamic";

const STATUS_BY_CODE: Record<string, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  database_unavailable: 503,
};

const NO_STORE = { "Cache-Control": "no-store" };

/** Progress of one operation for the polling UI. Authenticates itself: route handlers are public URLs. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    await requireRole("viewer");
    const id = uuidSchema.safeParse((await params).id);
    if (!id.success) return NextResponse.json({ message: "No such operation." }, { status: 404, headers: NO_STORE });
    const progress = await getOperationProgress(await getDb(), id.data);
    if (!progress) return NextResponse.json({ message: "No such operation." }, { status: 404, headers: NO_STORE });
    return NextResponse.json(progress, { headers: NO_STORE });
  } catch (error) {
    const expected = translateDatabaseError(error, "the configured database");
    if (isFleetpinError(expected)) {
      return NextResponse.json(
        { message: expected.message, code: expected.code },
        { status: STATUS_BY_CODE[expected.code] ?? 500, headers: NO_STORE },
      );
    }
    getLogger({ source: "api" }).error(
      { err: error, route: "GET /api/operations/[id]" },
      "GET /api/operations/[id] failed",
    );
    return NextResponse.json(
      { message: "Something went wrong. The error was logged." },
      { status: 500, headers: NO_STORE },
    );
  }
}
