/**
 * The outgoing webhook vocabulary, no I/O: event names, the `text` line Slack-compatible
 * receivers show, and which event ends an operation. lib/db imports it (a leaf, like lib/domain).
 */
export const WEBHOOK_EVENTS = [
  "pin.promoted",
  "pin.rolled_back",
  "pin.unpinned",
  "operation.finished",
  "operation.failed",
  "workspace.reprovision_failed",
  "rollout.started",
  "rollout.ring_passed",
  "rollout.succeeded",
  "rollout.rolled_back",
  "rollout.paused",
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export type WebhookData = Record<string, unknown>;

export function isWebhookEvent(value: unknown): value is WebhookEvent {
  return typeof value === "string" && (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

/** The event a pin change emits, from the pin history action. */
export function pinChangeEvent(action: "promote" | "rollback" | "unpin"): WebhookEvent {
  return action === "promote" ? "pin.promoted" : action === "rollback" ? "pin.rolled_back" : "pin.unpinned";
}

/** An operation that ended with a failed item (or aborted) is `operation.failed`; every other end is `operation.finished`. */
export function operationEndEvent(status: string): WebhookEvent {
  return status === "failed" || status === "partially_failed" ? "operation.failed" : "operation.finished";
}

/** One line for humans; Slack and Mattermost show `text` and ignore the other fields. */
export function webhookText(event: WebhookEvent, data: WebhookData): string {
  const s = (key: string) => (typeof data[key] === "string" || typeof data[key] === "number" ? String(data[key]) : "");
  const why = s("reason") ? `: ${s("reason")}` : "";
  const by = s("actor") ? ` by ${s("actor")}` : "";
  let line: string;
  switch (event) {
    case "pin.promoted":
      line = `${s("template")} pinned to ${short(s("to_digest"))}${by} (was ${short(s("from_digest")) || "unpinned"})${why}`;
      break;
    case "pin.rolled_back":
      line = `${s("template")} rolled back to ${short(s("to_digest"))} from ${short(s("from_digest"))}${by}${why}`;
      break;
    case "pin.unpinned":
      line = `${s("template")} unpinned (was ${short(s("from_digest"))})${by}; it follows :latest again${why}`;
      break;
    case "operation.finished":
    case "operation.failed":
      line = `${s("kind") || "operation"} ${s("operation_id").slice(0, 8)} ${(s("status") || "finished").replace("_", " ")}${counts(data)}`;
      break;
    case "workspace.reprovision_failed":
      line = `reprovision of workspace ${s("workspace_id").slice(0, 8)} (${s("template")}) failed: ${s("error")}`;
      break;
    case "rollout.started":
      line = `${s("template")} rollout ${s("rollout_id").slice(0, 8)} started: ${short(s("from_digest")) || "unpinned"} → ${short(s("to_digest"))}${by}${why}`;
      break;
    case "rollout.ring_passed":
      line = `${s("template")} rollout ${s("rollout_id").slice(0, 8)}: ring ${s("ring")} passed its bake`;
      break;
    case "rollout.succeeded":
      line = `${s("template")} rollout ${s("rollout_id").slice(0, 8)} succeeded: every ring runs ${short(s("to_digest"))}`;
      break;
    case "rollout.rolled_back":
      line = `${s("template")} rollout ${s("rollout_id").slice(0, 8)} rolling back to ${short(s("from_digest")) || "the previous image"}${why}`;
      break;
    case "rollout.paused":
      line = `${s("template")} rollout ${s("rollout_id").slice(0, 8)} paused${by}${why}`;
      break;
  }
  return escapeSlack(`Fleetpin: ${line}`);
}

function short(digest: string): string {
  return digest.startsWith("sha256:") ? digest.slice(0, 19) : digest;
}

function counts(data: WebhookData): string {
  const n = (key: string) => (typeof data[key] === "number" ? (data[key] as number) : null);
  if (n("succeeded") === null && n("failed") === null) return "";
  return ` (${n("succeeded") ?? 0} succeeded, ${n("failed") ?? 0} failed)`;
}

// Slack reads &, < and > as markup in `text`; escaped, an error message shows as written.
function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
