import { Badge, type BadgeTone } from "@/components/ui/badge";

const TONES: Record<string, BadgeTone> = {
  queued: "neutral",
  running: "info",
  succeeded: "success",
  failed: "danger",
  partially_failed: "warning",
  cancelled: "muted",
  skipped: "muted",
};

/** The status of an operation or of one of its items, coloured by outcome. */
export function OperationStatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <Badge tone={TONES[status] ?? "neutral"} testId={testId}>
      {status === "running" && <span aria-hidden className="size-1.5 animate-pulse rounded-full bg-current" />}
      {status.replace(/_/g, " ")}
    </Badge>
  );
}
