import "server-only";

import type { Env } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { type AttemptResult, dueDeliveryIds, loadDueDelivery, recordAttempt } from "@/lib/db/webhooks/deliveries";
import { errorMessage } from "@/lib/domain/errors";
import { displayUrl } from "@/lib/domain/webhook-display-url";
import { jobLog } from "@/lib/jobs/job-log";
import { sendJob, workJobs } from "@/lib/jobs/runner";

import { nextAttemptAt, retryBaseSeconds } from "./backoff";
import { postDelivery, DEFAULT_TIMEOUT_MS } from "./send";
import { signingSecret, SigningSecretError } from "./signing-secret";

export type WebhookDeliveryOptions = {
  /** Retry base and the key that opens sealed secrets (FLEETPIN_SECRET_KEY); the process's environment otherwise. */
  env?: Env;
  /** How often due rows are handed to the job runner (default 2 s). */
  dispatchIntervalMs?: number;
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
  /** Deliveries posted at once by this process (default 8): a hanging receiver holds one slot. */
  concurrency?: number;
};

type GlobalWithDispatch = typeof globalThis & { __fleetpinWebhookDispatch?: NodeJS.Timeout };
const store = globalThis as GlobalWithDispatch;

/**
 * Delivers webhooks on the job runner (started already): a `webhooks.deliver` job per due delivery,
 * and a dispatcher that turns due rows into jobs every couple of seconds. The delivery rows are the
 * state (pending, attempts, next attempt at), so a restart, in any process, picks up where it was;
 * the queue's policy keeps one job per delivery however many processes dispatch.
 */
export async function startWebhookDelivery(db: Db, options: WebhookDeliveryOptions = {}): Promise<void> {
  // Already running in this process (start-up code runs again on dev reloads); stopWebhookDispatch resets it.
  if (store.__fleetpinWebhookDispatch) return;
  const env = options.env;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  await workJobs<{ deliveryId: string }>(
    "webhooks.deliver",
    async (job) => void (await deliverOne(db, job.data.deliveryId, retryBaseSeconds(env), timeoutMs, env)),
    { localConcurrency: options.concurrency ?? 8, pollingIntervalSeconds: 0.5 },
  );
  const tick = () =>
    void dispatchDueDeliveries(db).catch((error: unknown) =>
      jobLog("warn", "webhooks", { event: "dispatch_failed", error: errorMessage(error) }),
    );
  store.__fleetpinWebhookDispatch = setInterval(tick, options.dispatchIntervalMs ?? 2_000).unref();
  tick();
}

/** Stops handing due rows to the runner (the runner's own stop ends the workers). */
export function stopWebhookDispatch(): void {
  if (store.__fleetpinWebhookDispatch) clearInterval(store.__fleetpinWebhookDispatch);
  store.__fleetpinWebhookDispatch = undefined;
}

/** Queues one job per due delivery; the queue drops those that already have one. */
export async function dispatchDueDeliveries(db: Db): Promise<number> {
  const ids = await dueDeliveryIds(db);
  for (const deliveryId of ids) await sendJob("webhooks.deliver", { deliveryId }, { singletonKey: deliveryId });
  return ids.length;
}

/**
 * One attempt at one delivery, recorded on its row; skips a delivery that is no longer pending and due.
 * A secret that cannot be opened (FLEETPIN_SECRET_KEY changed or missing) is this delivery's failed
 * attempt, retried like a receiver that is down: restoring the key lets it through, and other
 * endpoints' deliveries never see it.
 */
export async function deliverOne(
  db: Db,
  deliveryId: string,
  retryBase: number,
  timeoutMs: number,
  env?: Env,
): Promise<void> {
  const delivery = await loadDueDelivery(db, deliveryId);
  if (!delivery) return;
  const { storedSecret, ...toSend } = delivery;
  // Only the secret's own failure is this attempt's result; postDelivery never throws for the receiver.
  const secret = await signingSecret(storedSecret, env).catch((error: unknown) => {
    if (error instanceof SigningSecretError) return error;
    throw error;
  });
  const result: AttemptResult =
    secret instanceof SigningSecretError
      ? { ok: false, responseCode: null, error: secret.message }
      : await postDelivery({ ...toSend, secret }, timeoutMs);
  const retryAt = result.ok ? null : nextAttemptAt(delivery.createdAt, new Date(), delivery.attempts + 1, retryBase);
  const status = await recordAttempt(db, delivery.id, result, retryAt);
  if (!result.ok) {
    jobLog(status === "failed" ? "error" : "warn", "webhooks", {
      event: status === "failed" ? "delivery_failed" : "delivery_retry",
      deliveryId,
      url: displayUrl(delivery.url),
      error: result.error,
      nextAttemptAt: retryAt?.toISOString() ?? null,
    });
  }
}
