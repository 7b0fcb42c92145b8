/** What every server action returns: expected failures are values, never throws. */
export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | { ok: false; message: string; fieldErrors?: Record<string, string[]>; code?: string };

export function ok<T>(data: T, message?: string): ActionResult<T> {
  return { ok: true, data, message };
}

export function fail(message: string, fieldErrors?: Record<string, string[]>, code?: string): ActionResult<never> {
  return { ok: false, message, fieldErrors, code };
}
