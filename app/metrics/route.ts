import { getDb } from "@/lib/db/client";
import { translateDatabaseError } from "@/lib/db/errors";
import { isFleetpinError } from "@/lib/domain/errors";
import { getLogger } from "@/lib/log/logger";
import { authorizeMetricsRequest } from "@/lib/metrics/authorize";
import { renderMetrics } from "@/lib/metrics/scrape";

export const dynamic = "force-dynamic";

/** Prometheus text format: counters of this process plus fleet gauges read from the database now. */
export async function GET(request: Request) {
  const refused = await authorizeMetricsRequest(request, getDb);
  if (refused) return refused;
  try {
    const { contentType, body } = await renderMetrics(await getDb());
    return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
  } catch (error) {
    const translated = translateDatabaseError(error, "the configured database");
    const detail = isFleetpinError(translated) ? translated.message : "The metrics could not be read.";
    if (!isFleetpinError(translated))
      getLogger({ source: "metrics" }).error({ error: String(error) }, "/metrics failed");
    return new Response(JSON.stringify({ type: "about:blank", title: "Service Unavailable", status: 503, detail }), {
      status: 503,
      headers: { "content-type": "application/problem+json", "cache-control": "no-store" },
    });
  }
}
