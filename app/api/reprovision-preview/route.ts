import { operatorJsonRoute } from "@/lib/auth/operator-json-route";
import { getDb } from "@/lib/db/client";
import { getDockerClient } from "@/lib/provisioner/docker/client";
import { createImageResolver } from "@/lib/provisioner/reprovision/image-resolver";
import { previewBulkReprovision, previewReprovision } from "@/lib/provisioner/reprovision/preview";
import { reprovisionPreviewQuerySchema } from "@/lib/schemas/preview";

export const dynamic = "force-dynamic";

/**
 * What a reprovision would change, for the confirm dialogs: `?workspace=<id>` (one-click) or
 * `?scope=stale|down[&template=…]` (bulk). Operators only: it asks the registry for digests.
 * Reads only; never pulls and never touches a container.
 */
export const GET = operatorJsonRoute({
  name: "GET /api/reprovision-preview",
  query: reprovisionPreviewQuerySchema,
  badQuery: "Say which workspace or which scope to preview.",
  otherErrorStatus: 500,
  run: async (query) => {
    const db = await getDb();
    // The resolver's Docker client is only used for pulls, which a preview never asks for.
    const resolver = createImageResolver({ db, docker: getDockerClient() });
    return "workspace" in query
      ? previewReprovision(db, query.workspace, { resolver })
      : previewBulkReprovision(db, { kind: query.scope, template: query.template }, { resolver });
  },
});
