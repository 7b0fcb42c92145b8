import { AuditTable } from "@/app/(dashboard)/audit/_components/audit-table";
import { SectionError } from "@/components/status/section-error";
import { listAuditEntries } from "@/lib/db/audit-log";
import { getDb } from "@/lib/db/client";
import { loadSection } from "@/lib/status/load-section";

/**
 * Who did what to this rollout: its start, every pause/resume/abort/advance with its reason, and the
 * engine's own steps. Read from the template's rollout.* entries and kept to this rollout's id.
 */
export async function RolloutAudit({ rolloutId, templateName }: { rolloutId: string; templateName: string }) {
  const result = await loadSection(async () =>
    listAuditEntries(await getDb(), { template: templateName, action: "rollout.", limit: 200 }),
  );
  if (!result.ok) return <SectionError what="the audit entries" failure={result} />;
  const rows = result.data.rows.filter((row) => row.targetId === rolloutId);
  return <AuditTable rows={rows} />;
}
