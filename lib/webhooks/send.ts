import "server-only";

import type { AttemptResult, DeliveryToSend } from "@/lib/db/webhooks/deliveries";
import { errorMessage } from "@/lib/domain/errors";

import { signBody } from "./signature";

export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * One POST of a delivery: the JSON body, signed with the endpoint's secret. A 2xx is delivered;
 * anything else (other status, redirect, timeout, refused connection) is a failed attempt with the
 * reason. Never throws for what the receiver did.
 */
export async function postDelivery(delivery: DeliveryToSend, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<AttemptResult> {
  const body = JSON.stringify(delivery.payload);
  let response: Response;
  try {
    response = await fetch(delivery.url, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "user-agent": "Fleetpin-Webhooks/1",
        "x-fleetpin-event": delivery.event,
        "x-fleetpin-delivery": delivery.id,
        "x-fleetpin-signature": signBody(delivery.secret, body),
      },
      // A redirect is the receiver's misconfiguration: following it would send the signed body elsewhere.
      redirect: "manual",
      cache: "no-store",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { ok: false, responseCode: null, error: networkReason(error, timeoutMs) };
  }
  // Only the status matters; the body is drained so the connection can be reused.
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) return { ok: true, responseCode: response.status };
  return { ok: false, responseCode: response.status, error: `the receiver answered HTTP ${response.status}` };
}

function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ? `${cause.code}: ${cause.message ?? errorMessage(error)}` : errorMessage(error);
}
