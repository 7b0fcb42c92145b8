import { getLogger } from "@/lib/log/logger";

/** The one place lib/api writes to the server log: failures the caller only sees as a generic 500. */
export function logApiError(message: string, context: Record<string, unknown>): void {
  getLogger({ source: "api" }).error(context, message);
}
