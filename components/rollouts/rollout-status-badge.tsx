import { Badge, type BadgeTone } from "@/components/ui/badge";

import type { RolloutRingStatus, RolloutStatus } from "./types";

const ROLLOUT_TONES: Record<RolloutStatus, BadgeTone> = {
  running: "info",
  paused: "warning",
  succeeded: "success",
  rolled_back: "danger",
  aborted: "neutral",
};

const RING_TONES: Record<RolloutRingStatus, BadgeTone> = {
  pending: "muted",
  reprovisioning: "info",
  baking: "info",
  waiting: "warning",
  passed: "success",
  failed: "danger",
  rolled_back: "danger",
  skipped: "muted",
};

/** A rollout's status as a pill (rolled_back → "rolled back"). */
export function RolloutStatusBadge({ status, testId = "rollout-status" }: { status: RolloutStatus; testId?: string }) {
  return (
    <Badge tone={ROLLOUT_TONES[status] ?? "neutral"} testId={testId}>
      {status.replace(/_/g, " ")}
    </Badge>
  );
}

/** One ring's status within a rollout; "waiting" means it baked and waits for an operator's Advance. */
export function RingStatusBadge({ status, testId }: { status: RolloutRingStatus; testId?: string }) {
  return (
    <Badge
      tone={RING_TONES[status] ?? "neutral"}
      testId={testId}
      title={status === "waiting" ? "Baked; waits for an operator to advance" : undefined}
    >
      {status.replace(/_/g, " ")}
    </Badge>
  );
}
