import { translateDatabaseError } from "@/lib/db/errors";
import { isFleetpinError } from "@/lib/domain/errors";

/** A page section's data, or the user-safe reason it could not be loaded. */
export type Loaded<T> = { ok: true; data: T } | { ok: false; message: string; code: string };

/**
 * Runs one page section's data load so that an expected failure (database,
 * Docker or registry unreachable, or any other lib/domain/errors.ts error) becomes a
 * banner for that section instead of taking the whole page down. Bugs and
 * Next's redirect/notFound signals are rethrown untouched.
 */
export async function loadSection<T>(load: () => Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, data: await load() };
  } catch (error) {
    const expected = translateDatabaseError(error, "the configured database");
    if (isFleetpinError(expected)) return { ok: false, message: expected.message, code: expected.code };
    throw error;
  }
}
