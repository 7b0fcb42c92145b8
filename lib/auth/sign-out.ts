import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import { deleteSession } from "@/lib/db/sessions";

import { isWellFormedSessionToken, sessionIdFromToken } from "./session-token";

/**
 * Ends the session behind `token` and writes its `session.sign_out` audit row
 * in the same transaction. Returns the email that signed out, or null when
 * there was no live session (signing out twice is not an error).
 */
export async function signOut(db: Db, token: string | null | undefined): Promise<string | null> {
  if (!token || !isWellFormedSessionToken(token)) return null;
  const id = sessionIdFromToken(token);
  return db.$transaction(async (tx) => {
    const ended = await deleteSession(tx, id);
    if (!ended) return null;
    await recordAudit(tx, {
      actor: ended.email,
      action: "session.sign_out",
      targetType: "session",
      targetId: ended.userId,
      before: { session: id.slice(0, 12) },
    });
    return ended.email;
  });
}
