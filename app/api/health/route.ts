import { NextResponse } from "next/server";

export const dynamic = "force-dynamic";

/** Liveness for test harnesses and load balancers: the process answers. No data, no auth. */
export function GET() {
  return NextResponse.json({ ok: true });
}
