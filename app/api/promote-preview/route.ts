import { operatorJsonRoute } from "@/lib/auth/operator-json-route";
import { getDb } from "@/lib/db/client";
import { previewPromote } from "@/lib/pins/promote-preview";
import { promotePreviewQuerySchema } from "@/lib/schemas/ledger";

export const dynamic = "force-dynamic";

/**
 * What promoting `?template=…&digestOrTag=…` would do, for the Promote dialog: from → to, cool-down,
 * quarantine, workspaces stale after. Operators only (it asks the registry). Writes only the ledger.
 * Registry failures (unreachable, denied) are expected too: the dialog shows their message (502).
 */
export const GET = operatorJsonRoute({
  name: "GET /api/promote-preview",
  query: promotePreviewQuerySchema,
  badQuery: "Say which template and which digest or tag to preview.",
  otherErrorStatus: 502,
  run: async (query) => previewPromote(await getDb(), { templateName: query.template, digestOrTag: query.digestOrTag }),
});
