import { NextResponse } from "next/server";

import { getDb } from "@/lib/db/client";
import { MAX_EVENTS_BODY_BYTES, receiveRegistryEvents } from "@/lib/ledger/receive-events";

export const dynamic = "force-dynamic";

/**
 * The registry's push notifications (Distribution `notifications.endpoints`, see README). No session:
 * the registry authenticates with `Authorization: Bearer <FLEETPIN_REGISTRY_EVENTS_TOKEN>`.
 */
export async function POST(request: Request) {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_EVENTS_BODY_BYTES)
    return NextResponse.json({ ok: false, message: "The envelope is too large." }, { status: 413 });
  const outcome = await receiveRegistryEvents(await getDb(), {
    authorization: request.headers.get("authorization"),
    body: await request.text(),
  });
  return NextResponse.json(outcome.body, { status: outcome.status });
}
