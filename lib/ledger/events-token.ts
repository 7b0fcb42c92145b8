import { createHash, timingSafeEqual } from "node:crypto";

import { ledgerConfig, type Env } from "@/lib/config";

/** "ok": the bearer token is FLEETPIN_REGISTRY_EVENTS_TOKEN; "unset": the endpoint is off; "bad": anything else. */
export type EventsTokenCheck = "ok" | "unset" | "bad";

/**
 * Checks `Authorization: Bearer <token>` against FLEETPIN_REGISTRY_EVENTS_TOKEN in constant time
 * (both sides hashed first, so neither length nor content leaks through timing). Unset refuses all.
 */
export function checkEventsToken(authorization: string | null, env?: Env): EventsTokenCheck {
  const expected = ledgerConfig(env).registryEventsToken ?? "";
  if (expected === "") return "unset";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  const given = match?.[1] ?? "";
  const digest = (value: string) => createHash("sha256").update(value).digest();
  const same = timingSafeEqual(digest(given), digest(expected.trim()));
  return same && given !== "" ? "ok" : "bad";
}
