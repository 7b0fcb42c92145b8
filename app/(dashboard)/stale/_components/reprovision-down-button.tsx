import { getDb } from "@/lib/db/client";
import { countDownWorkspaces } from "@/lib/db/operations/down-scope";
import { loadSection } from "@/lib/status/load-section";

import { ReprovisionDownDialog } from "./reprovision-down-dialog";

/** "Reprovision down (N)" next to "Reprovision all stale"; nothing when no workspace is down or the count fails. */
export async function ReprovisionDownButton() {
  const result = await loadSection(async () => countDownWorkspaces(await getDb()));
  if (!result.ok || result.data.length === 0) return null;
  return <ReprovisionDownDialog counts={result.data} />;
}
