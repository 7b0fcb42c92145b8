import { z } from "zod";

import { templateNameSchema, uuidSchema } from "@/lib/schemas/fields";

/** GET /api/reprovision-preview: one workspace (`workspace`), or a bulk scope (`scope`, optional `template`). */
export const reprovisionPreviewQuerySchema = z.union([
  z.object({ workspace: uuidSchema }),
  z.object({
    scope: z.enum(["stale", "down"]),
    template: z
      .string()
      .trim()
      .optional()
      .transform((value) => (value ? value : undefined))
      .pipe(templateNameSchema.optional()),
  }),
]);
export type ReprovisionPreviewQuery = z.infer<typeof reprovisionPreviewQuerySchema>;
