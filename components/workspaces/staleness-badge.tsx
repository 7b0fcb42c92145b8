import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { Staleness } from "@/lib/domain/staleness";

const LOOK: Record<Staleness, { tone: BadgeTone; label: string; title: string }> = {
  stale: { tone: "warning", label: "stale", title: "Runs a digest other than its template's pin" },
  on_pin: { tone: "success", label: "on pin", title: "Runs exactly the pinned digest" },
  unknown: {
    tone: "neutral",
    label: "unknown",
    title: "Template is pinned, but the running digest was never recorded; Sync from Docker finds it",
  },
  unpinned: { tone: "muted", label: "unpinned", title: "Template has no pin and follows :latest" },
};

/** Where a workspace stands against its template's pin. */
export function StalenessBadge({ staleness }: { staleness: Staleness }) {
  const look = LOOK[staleness];
  return (
    <Badge tone={look.tone} title={look.title} testId="staleness">
      {look.label}
    </Badge>
  );
}

/** Filter labels for the staleness select. */
export const STALENESS_LABELS: Record<Staleness, string> = {
  stale: "Stale",
  on_pin: "On pin",
  unknown: "Unknown digest",
  unpinned: "Unpinned",
};
