import { Badge, type BadgeTone } from "@/components/ui/badge";

const TONES: Record<string, BadgeTone> = {
  online: "success",
  provisioning: "info",
  awaiting_agent: "info",
  degraded: "warning",
  offline: "neutral",
  paused: "neutral",
  hibernating: "muted",
  hibernated: "muted",
  failed: "danger",
  down: "danger",
  unknown: "warning",
  removed: "muted",
};

/** A workspace's lifecycle status. */
export function WorkspaceStatusBadge({ status }: { status: string }) {
  return (
    <Badge tone={TONES[status] ?? "neutral"} testId="workspace-status">
      {status.replace(/_/g, " ")}
    </Badge>
  );
}
