import type { SyncResult } from "./types";

/**
 * The text an operator reads on the sync operation: every failure, then every container or row
 * sync left alone with the reason (unreadable or ambiguous identity, reprovision running, …).
 */
export function syncReport(result: SyncResult, succeeded: number): string | null {
  const label = (x: { containerName: string | null; workspaceId: string | null; containerId: string | null }) =>
    x.containerName ?? x.workspaceId ?? x.containerId ?? "?";
  const parts: string[] = [];
  const failed = result.errors.length;
  if (failed > 0)
    parts.push(
      `${failed} of ${succeeded + failed} could not be synced: ${result.errors.map((e) => `${label(e)}: ${e.message}`).join("; ")}`,
    );
  if (result.skipped.length > 0)
    parts.push(
      `${result.skipped.length} left alone: ${result.skipped.map((s) => `${label(s)}: ${s.reason}`).join("; ")}`,
    );
  return parts.length === 0 ? null : parts.join(". ");
}
