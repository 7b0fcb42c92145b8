import { NextResponse } from "next/server";

import { requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { translateDatabaseError } from "@/lib/db/errors";
import { isFleetpinError } from "@/lib/domain/errors";
import { getLogger } from "@/lib/log/logger";
import { previewPromote } from "@/lib/pins/promote-preview";
import { promotePreviewQuerySchema } from "@/lib/schemas/ledger";

export const dynamic = "force-dynamic";

const STATUS_BY_CODE: Record<string, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  database_unavailable: 503,
};
const NO_STORE = { "Cache-Control": "no-store" };

/**
 * What promoting `?template=…&digestOrTag=…` would do, for the Promote dialog: from → to, cool-down,
 * quarantine, workspaces stale after. Operators only (it asks the registry). Writes only the ledger.
 */
export async function GET(request: Request) {
  try {
    await requireRole("operator");
    const query = promotePreviewQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success)
      return NextResponse.json(
        { message: "Say which template and which digest or tag to preview." },
        { status: 400, headers: NO_STORE },
      );
    const preview = await previewPromote(await getDb(), {
      templateName: query.data.template,
      digestOrTag: query.data.digestOrTag,
    });
    return NextResponse.json(preview, { headers: NO_STORE });
  } catch (error) {
    const expected = translateDatabaseError(error, "the configured database");
    if (isFleetpinError(expected)) {
      // Registry failures (unreachable, denied) are expected too: the dialog shows their message.
      return NextResponse.json(
        { message: expected.message, code: expected.code },
        { status: STATUS_BY_CODE[expected.code] ?? 502, headers: NO_STORE },
      );
    }
    getLogger({ source: "api" }).error({ error: String(error) }, "GET /api/promote-preview failed");
    return NextResponse.json(
      { message: "Something went wrong. The error was logged." },
      { status: 500, headers: NO_STORE },
    );
  }
}
