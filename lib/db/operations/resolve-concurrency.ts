import "server-only";

import { MAX_CONCURRENCY, type ReprovisionConfig, reprovisionConfig } from "@/lib/config";
import { ValidationError } from "@/lib/domain/errors";

/** Items an operation runs at once when neither the request nor the env says otherwise; the most it may run. */
export { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from "@/lib/config";

/** The concurrency to record: the request, else FLEETPIN_BULK_CONCURRENCY, else DEFAULT_CONCURRENCY. */
export function resolveConcurrency(
  requested: number | undefined,
  reprovision: Pick<ReprovisionConfig, "bulkConcurrency"> = reprovisionConfig(),
): number {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 1 || requested > MAX_CONCURRENCY) {
      const message = `Concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}.`;
      throw new ValidationError(message, { concurrency: [message] });
    }
    return requested;
  }
  // FLEETPIN_BULK_CONCURRENCY: a bad value stopped start-up already (lib/config), so it is a valid one here.
  return reprovision.bulkConcurrency;
}
