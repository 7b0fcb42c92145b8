import Link from "next/link";

import { DigestText } from "@/components/ui/digest-text";
import { StackedBar, StackedBarLegend } from "@/components/ui/stacked-bar";
import { ACTIONS_COLUMN, DataTable, Td } from "@/components/ui/table";
import { FLEET_SEGMENTS } from "@/components/workspaces/fleet-counts";
import type { StaleSummaryRow } from "@/lib/db/stale-fleet";

import { BulkReprovisionDialog } from "./bulk-reprovision-dialog";

const right = (label: string) => ({ label, className: "text-right" });
const COLUMNS = [
  "Template",
  "Pinned digest",
  { label: "On pin / stale / unknown", className: "w-2/5" },
  right("On pin"),
  right("Stale"),
  right("Unknown"),
  right("Down"),
];
const EMPTY = "No template is pinned, so nothing can be stale. Pin a digest on the Pins page.";

/**
 * Per template: on pin vs stale vs unknown as a bar chart (bars share one
 * scale, so sizes compare across templates) with the counts, the workspaces
 * that are down (container not running although nobody stopped it; linked to
 * that filtered list) and, for operators, a per-template "Reprovision stale".
 */
export function StaleSummary({ rows, canOperate }: { rows: StaleSummaryRow[]; canOperate: boolean }) {
  const pinned = rows.filter((row) => row.pinnedDigest);
  const max = Math.max(1, ...pinned.map((row) => row.onPin + row.stale + row.unknown));
  return (
    <>
      <div className="border-b border-slate-100 px-4 py-2">
        <StackedBarLegend segments={FLEET_SEGMENTS.map(({ label, className }) => ({ label, className }))} />
      </div>
      <DataTable
        caption="Fleet state per pinned template"
        testId="stale-summary"
        columns={[...COLUMNS, canOperate && ACTIONS_COLUMN]}
        rows={pinned}
        empty={EMPTY}
      >
        {(row) => (
          <tr key={row.templateName} data-testid={`stale-summary-${row.templateName}`} data-stale={row.stale}>
            <Td className="font-medium">{row.templateName}</Td>
            <Td>
              <DigestText digest={row.pinnedDigest} />
            </Td>
            <Td>
              <StackedBar
                max={max}
                segments={FLEET_SEGMENTS.map((segment) => ({
                  label: segment.label,
                  className: segment.className,
                  value: segment.key === "onPin" ? row.onPin : segment.key === "stale" ? row.stale : row.unknown,
                }))}
              />
            </Td>
            <Td className="text-right tabular-nums text-emerald-700">{row.onPin}</Td>
            <Td
              className={`text-right tabular-nums ${row.stale > 0 ? "font-semibold text-amber-700" : "text-slate-400"}`}
            >
              {row.stale}
            </Td>
            <Td className="text-right tabular-nums text-slate-500">{row.unknown}</Td>
            <Td className="text-right tabular-nums" data-testid={`stale-summary-down-${row.templateName}`}>
              {row.down > 0 ? (
                <Link
                  className="font-semibold text-red-700 underline-offset-2 hover:underline"
                  href={`/workspaces?status=down&template=${encodeURIComponent(row.templateName)}`}
                >
                  {row.down}
                </Link>
              ) : (
                <span className="text-slate-400">0</span>
              )}
            </Td>
            {canOperate && (
              <Td className="text-right">
                {row.stale > 0 && (
                  <BulkReprovisionDialog
                    template={row.templateName}
                    staleCount={row.stale}
                    testId={`reprovision-stale-${row.templateName}`}
                  />
                )}
              </Td>
            )}
          </tr>
        )}
      </DataTable>
    </>
  );
}
