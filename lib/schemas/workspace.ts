import { z } from "zod";

import { STALENESS_VALUES } from "@/lib/domain/staleness";
import { WorkspaceStatus } from "@/lib/generated/prisma/enums";

import {
  optionalParam,
  optionalReasonSchema,
  optionalTemplateSchema,
  plainText,
  templateNameSchema,
  uuidSchema,
} from "./fields";
import { hostNameSchema } from "./host";

/** Every workspace status, in the database enum's order. */
export const WORKSPACE_STATUSES = Object.values(WorkspaceStatus);

/** Workspaces page filters and paging, read from searchParams. */
export const workspaceFilterSchema = z.object({
  template: optionalParam(templateNameSchema),
  status: optionalParam(z.enum(WORKSPACE_STATUSES)),
  staleness: optionalParam(z.enum(STALENESS_VALUES)),
  q: optionalParam(plainText().trim().min(1).max(100)),
  host: optionalParam(hostNameSchema),
  hostLabel: optionalParam(
    plainText()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}=.{0,128}$/, { error: "A host label filter is name=value." }),
  ),
  cursor: optionalParam(plainText().min(1).max(200)),
  direction: optionalParam(z.enum(["next", "prev"])),
  limit: optionalParam(z.coerce.number().int().min(10).max(200)),
});
export type WorkspaceFilter = z.infer<typeof workspaceFilterSchema>;

/** Reprovision one workspace. */
export const reprovisionWorkspaceSchema = z.object({
  workspaceId: uuidSchema,
  reason: optionalReasonSchema,
});
export type ReprovisionWorkspace = z.infer<typeof reprovisionWorkspaceSchema>;

/** Reprovision every stale workspace, of one template or of all (blank template). */
export const reprovisionStaleSchema = z.object({
  template: optionalTemplateSchema,
  reason: optionalReasonSchema,
});
export type ReprovisionStale = z.infer<typeof reprovisionStaleSchema>;

/** Reprovision every workspace seen down, of one template or of all (blank template). */
export const reprovisionDownSchema = reprovisionStaleSchema;
export type ReprovisionDown = z.infer<typeof reprovisionDownSchema>;

/** "Sync from Docker" takes no input; the schema still rejects anything unexpected. */
export const syncFromDockerSchema = z.object({});
