import Link from "next/link";

import { OperationStatusBadge } from "@/components/operations/operation-status-badge";
import type { OperationItemJson } from "@/components/operations/types";
import { Badge } from "@/components/ui/badge";
import { DigestText } from "@/components/ui/digest-text";
import { DataTable, Td } from "@/components/ui/table";
import { failureText, itemResultText } from "@/lib/domain/operation-text";

const COLUMNS = ["Workspace", "Result", "From", "To", { label: "What happened", className: "w-2/5" }];

/**
 * Per-workspace results of an operation (failed first, then running, then the
 * rest); failed rows are tinted and carry their error. `omitted` items beyond
 * the server's page are counted, never silently dropped.
 */
export function OperationItems({
  items,
  omitted,
  quarantined = new Set(),
}: {
  items: OperationItemJson[];
  omitted: number;
  /** Quarantined digests, marked where an item's from or to is one. */
  quarantined?: ReadonlySet<string>;
}) {
  return (
    <>
      <DataTable
        caption="Per-workspace results"
        testId="operation-items"
        columns={COLUMNS}
        rows={items}
        empty="This operation has no per-workspace items."
      >
        {(item) => (
          <tr
            key={item.id}
            data-testid={`operation-item-${item.workspaceId}`}
            data-status={item.status}
            className={item.status === "failed" ? "bg-red-50/60" : undefined}
          >
            <Td>
              <Link href={`/workspaces?q=${item.workspaceId}`} className="font-medium text-slate-900 hover:underline">
                {item.workspaceName}
              </Link>
            </Td>
            <Td>
              <OperationStatusBadge status={item.status} />
            </Td>
            <Td>
              <DigestText digest={item.fromDigest} />
              <QuarantineMark digest={item.fromDigest} quarantined={quarantined} />
            </Td>
            <Td>
              <DigestText digest={item.toDigest} />
              <QuarantineMark digest={item.toDigest} quarantined={quarantined} />
            </Td>
            <Td className={`text-xs ${item.status === "failed" ? "text-red-700" : "text-slate-600"}`}>
              <p className="line-clamp-3 break-words" title={resultOf(item) || undefined}>
                {resultOf(item)}
              </p>
            </Td>
          </tr>
        )}
      </DataTable>
      {omitted > 0 && (
        <p className="border-t border-slate-200 px-4 py-2 text-xs text-slate-500" data-testid="operation-items-omitted">
          {items.length.toLocaleString("en")} shown (failures and running first); {omitted.toLocaleString("en")} more
          not listed here.
        </p>
      )}
    </>
  );
}

function resultOf(item: OperationItemJson): string {
  return item.status === "failed" ? failureText(item) : itemResultText(item);
}

function QuarantineMark({ digest, quarantined }: { digest: string | null; quarantined: ReadonlySet<string> }) {
  if (!digest || !quarantined.has(digest)) return null;
  return (
    <div>
      <Badge
        tone="danger"
        title="Rolled back from: it cannot be promoted until the quarantine is lifted"
        testId="item-digest-quarantined"
      >
        quarantined
      </Badge>
    </div>
  );
}
