import { NextResponse } from "next/server";

import { requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { translateDatabaseError } from "@/lib/db/errors";
import { isFleetpinError } from "@/lib/domain/errors";
import { getLogger } from "@/lib/log/logger";
import { getDockerClient } from "@/lib/provisioner/docker/client";
import { createImageResolver } from "@/lib/provisioner/reprovision/image-resolver";
import { previewBulkReprovision, previewReprovision } from "@/lib/provisioner/reprovision/preview";
import { reprovisionPreviewQuerySchema } from "@/lib/schemas/preview";

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
 * What a reprovision would change, for the confirm dialogs: `?workspace=<id>` (one-click) or
 * `?scope=stale|down[&template=…]` (bulk). Operators only: it asks the registry for digests.
 * Reads only; never pulls and never touches a container. Authenticates itself: route handlers are public URLs.
 */
export async function GET(request: Request) {
  try {
    await requireRole("operator");
    const query = reprovisionPreviewQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success)
      return NextResponse.json(
        { message: "Say which workspace or which scope to preview." },
        { status: 400, headers: NO_STORE },
      );
    const db = await getDb();
    // The resolver's Docker client is only used for pulls, which a preview never asks for.
    const resolver = createImageResolver({ db, docker: getDockerClient() });
    const preview =
      "workspace" in query.data
        ? await previewReprovision(db, query.data.workspace, { resolver })
        : await previewBulkReprovision(db, { kind: query.data.scope, template: query.data.template }, { resolver });
    return NextResponse.json(preview, { headers: NO_STORE });
  } catch (error) {
    const expected = translateDatabaseError(error, "the configured database");
    if (isFleetpinError(expected)) {
      return NextResponse.json(
        { message: expected.message, code: expected.code },
        { status: STATUS_BY_CODE[expected.code] ?? 500, headers: NO_STORE },
      );
    }
    getLogger({ source: "api" }).error(
      { err: error, route: "GET /api/reprovision-preview" },
      "GET /api/reprovision-preview failed",
    );
    return NextResponse.json(
      { message: "Something went wrong. The error was logged." },
      { status: 500, headers: NO_STORE },
    );
  }
}
