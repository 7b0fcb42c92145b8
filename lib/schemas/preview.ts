import { z } from "zod";

import { optionalTemplateSchema, uuidSchema } from "./fields";

/** GET /api/reprovision-preview: one workspace (`workspace`), or a bulk scope (`scope`, optional `template`). */
export const reprovisionPreviewQuerySchema = z.union([
  z.object({ workspace: uuidSchema }),
  z.object({
    scope: z.enum(["stale", "down"]),
    template: optionalTemplateSchema,
  }),
]);
export type ReprovisionPreviewQuery = z.infer<typeof reprovisionPreviewQuerySchema>;
