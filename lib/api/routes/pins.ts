import "server-only";

import { z } from "zod";

import { defineApiRoute } from "@/lib/api/define-api-route";
import { registryConfig } from "@/lib/config";
import { quarantinedDigests } from "@/lib/db/ledger/quarantine";
import { listPinOverview } from "@/lib/db/pin-overview";

import { iso, pinShape } from "./shapes";

/** GET /pins: every template with its pin (image_digest null when unpinned), as the Pins page shows it. */
export const listPinsRoute = defineApiRoute({
  method: "GET",
  path: "/pins",
  role: "viewer",
  tag: "pins",
  summary: "List every template's pin",
  success: {
    status: 200,
    description: "One entry per known or pinned template, alphabetical",
    schema: z.object({ pins: z.array(pinShape) }),
  },
  run: async ({ db, deps }) => {
    const [rows, quarantined] = await Promise.all([
      listPinOverview(db, registryConfig(deps.env)),
      quarantinedDigests(db),
    ]);
    return {
      pins: rows.map((row) => ({
        template_name: row.templateName,
        image_digest: row.pin?.digest ?? null,
        image_ref: row.pin ? `${row.repository}@${row.pin.digest}` : `${row.repository}:latest`,
        git_sha: row.pin?.gitSha ?? null,
        notes: row.pin?.notes ?? null,
        updated_by: row.pin?.updatedBy ?? null,
        updated_at: iso(row.pin?.updatedAt),
        rollback_target: row.rollbackTarget,
        rollback_target_quarantined:
          row.rollbackTarget !== null && (quarantined.get(row.templateName)?.has(row.rollbackTarget) ?? false),
        workspace_count: row.workspaceCount,
        stale_count: row.staleCount,
      })),
    };
  },
});

const platformPinShape = z.object({
  template_name: z.string(),
  region: z.literal("global").describe("Fleetpin pins one digest per template everywhere"),
  image_digest: z.string(),
  git_sha: z.string().nullable(),
});

/** GET /runtime-image: the platform's read shape (seed spec §4), so its scripts only change their base URL. Pinned templates only. */
export const platformPinsRoute = defineApiRoute({
  method: "GET",
  path: "/runtime-image",
  role: "viewer",
  tag: "pins",
  summary: "List pins, in the platform's response shape",
  success: {
    status: 200,
    description: "One entry per pinned template",
    schema: z.object({ pins: z.array(platformPinShape) }),
  },
  run: async ({ db, deps }) => {
    const rows = await listPinOverview(db, registryConfig(deps.env));
    return {
      pins: rows.flatMap((row) =>
        row.pin
          ? [
              {
                template_name: row.templateName,
                region: "global" as const,
                image_digest: row.pin.digest,
                git_sha: row.pin.gitSha,
              },
            ]
          : [],
      ),
    };
  },
});
