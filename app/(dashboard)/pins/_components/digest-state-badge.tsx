import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { DigestState } from "@/lib/domain/digest-state";

const TONES: Record<DigestState, BadgeTone> = {
  candidate: "info",
  pinned: "success",
  previous: "neutral",
  quarantined: "danger",
  seen: "muted",
};
const TITLES: Record<DigestState, string> = {
  candidate: "A tag brought it in after the current pin; promote it when ready (never automatic)",
  pinned: "The template's pin",
  previous: "Pinned before",
  quarantined: "Rolled back from: it cannot be promoted until the quarantine is lifted",
  seen: "Met on a running container or before the current pin",
};

/** A ledger digest's state as a pill. */
export function DigestStateBadge({ state, reason }: { state: DigestState; reason?: string | null }) {
  return (
    <Badge
      tone={TONES[state]}
      title={reason ? `${TITLES[state]}: ${reason}` : TITLES[state]}
      testId={`digest-state-${state}`}
    >
      {state}
    </Badge>
  );
}
