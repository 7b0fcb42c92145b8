import "server-only";

import type { Db } from "@/lib/db/client";
import { bulkScopeLabel } from "@/lib/db/operations/bulk-scopes";
import { previewScopeGroups, previewWorkspaceRow } from "@/lib/db/operations/preview-rows";
import { isFleetpinError, NotFoundError } from "@/lib/domain/errors";
import { isUuid } from "@/lib/domain/is-uuid";
import type {
  BulkPreviewTemplate,
  BulkReprovisionPreview,
  BulkScope,
  PreviewTarget,
  ReprovisionPreview,
} from "@/lib/domain/reprovision-preview";

import type { ImageResolver } from "./image-resolver";

/** What a reprovision keeps: said in every preview, since the operator is restarting a customer's container. */
export const UNCHANGED_NOTE =
  "Nothing else changes: the new container is a clone of the old one (name, volumes, ports, limits, networks, labels, restart policy); only the image changes. The old container is kept until the new one passes its health gate, and is put back if it does not.";

/**
 * What reprovisioning one workspace would do: its image and digest now, and the image and
 * digest it would get. Reads the database and the registry (through `resolver`); never
 * pulls and never touches a container.
 */
export async function previewReprovision(
  db: Db,
  workspaceId: string,
  deps: { resolver: ImageResolver },
): Promise<ReprovisionPreview> {
  if (!isUuid(workspaceId)) throw new NotFoundError(`Workspace ${workspaceId} not found.`);
  const row = await previewWorkspaceRow(db, workspaceId);
  if (!row) throw new NotFoundError(`Workspace ${workspaceId} not found.`);
  const { target, problem } = await resolveTarget(deps.resolver, row.runtime);
  const removed = row.status === "removed" ? "Removed workspaces cannot be reprovisioned." : null;
  return {
    workspaceId: row.id,
    workspaceName: row.name,
    template: row.runtime,
    status: row.status,
    current: { image: row.runtime_image, digest: row.runtime_image_digest },
    target,
    problem: removed ?? problem,
    digestChanges: target?.digest && row.runtime_image_digest ? target.digest !== row.runtime_image_digest : null,
    busyOperationId: row.busy,
    unchanged: UNCHANGED_NOTE,
  };
}

/**
 * What a bulk reprovision of `scope` would do: how many workspaces, the digests they run now
 * (grouped counts per template) and each template's target. One grouped query plus one
 * resolution per template; never pulls and never touches a container.
 */
export async function previewBulkReprovision(
  db: Db,
  scope: BulkScope,
  deps: { resolver: ImageResolver },
): Promise<BulkReprovisionPreview> {
  const groups = await previewScopeGroups(db, scope);
  const byTemplate = new Map<string, BulkPreviewTemplate>();
  for (const group of groups) {
    const entry = byTemplate.get(group.runtime) ?? {
      template: group.runtime,
      count: 0,
      busy: 0,
      current: [],
      target: null,
      problem: null,
    };
    entry.count += group.n;
    entry.busy += group.busy;
    entry.current.push({ digest: group.digest, count: group.n });
    byTemplate.set(group.runtime, entry);
  }
  const templates = [...byTemplate.values()];
  await Promise.all(
    templates.map(async (entry) => Object.assign(entry, await resolveTarget(deps.resolver, entry.template))),
  );
  return {
    scope,
    label: bulkScopeLabel(scope),
    total: templates.reduce((sum, entry) => sum + entry.count, 0),
    busy: templates.reduce((sum, entry) => sum + entry.busy, 0),
    templates,
    unchanged: UNCHANGED_NOTE,
  };
}

// Expected failures (unknown runtime, registry refusing the tag…) become the preview's problem;
// anything else is a bug and propagates.
async function resolveTarget(
  resolver: ImageResolver,
  template: string,
): Promise<{ target: PreviewTarget | null; problem: string | null }> {
  try {
    const resolved = await resolver.resolve(template);
    const note = resolved.digest
      ? null
      : `The registry could not be reached: the target is the tag ${resolved.ref}; its digest will be known after the pull.`;
    return { target: { ref: resolved.ref, digest: resolved.digest, source: resolved.source, note }, problem: null };
  } catch (error) {
    if (!isFleetpinError(error)) throw error;
    return { target: null, problem: error.message };
  }
}
