// What a reprovision will change, as the confirm dialogs show it before the operator says yes: built by
// lib/provisioner/reprovision/preview.ts, sent by GET /api/reprovision-preview, shown by components/operations.
// Plain types, so the UI needs nothing from the server side.

/** A bulk reprovision chosen by condition: every stale or every down workspace, of one template or of all. */
export type BulkScope = { kind: "stale" | "down"; template?: string };

/**
 * Where the reference to pull came from: `pin`: the template's pin; `registry`: `:latest` resolved to its
 * current digest; `tag`: the tag as is.
 */
export type ImageSource = "pin" | "registry" | "tag";

/** What a reprovision would recreate the container from, as the image resolver sees it now. */
export type PreviewTarget = {
  ref: string;
  /** Null when the registry could not be reached: the tag is pulled and its digest known only then. */
  digest: string | null;
  source: ImageSource;
  /** Set when the digest is not known yet, saying so. */
  note: string | null;
};

/** What one-click reprovision of a workspace will change, shown before the operator confirms. */
export type ReprovisionPreview = {
  workspaceId: string;
  workspaceName: string;
  template: string;
  status: string;
  current: { image: string | null; digest: string | null };
  /** Null when no target can be worked out (see `problem`). */
  target: PreviewTarget | null;
  /** Why the reprovision would fail as things stand (e.g. a runtime without a template image). */
  problem: string | null;
  /** True / false when both digests are known; null when one is not. */
  digestChanges: boolean | null;
  /** The operation already queued or running this workspace: a new one would be refused. */
  busyOperationId: string | null;
  unchanged: string;
};

/** One template's share of a bulk reprovision. */
export type BulkPreviewTemplate = {
  template: string;
  count: number;
  /** Of `count`, workspaces another operation already has: they will be skipped. */
  busy: number;
  /** Digests the workspaces run now, most common first (null: not known). */
  current: { digest: string | null; count: number }[];
  target: PreviewTarget | null;
  problem: string | null;
};

/** What a bulk reprovision of a scope will change, shown before the operator confirms. */
export type BulkReprovisionPreview = {
  scope: BulkScope;
  label: string;
  total: number;
  busy: number;
  templates: BulkPreviewTemplate[];
  unchanged: string;
};
