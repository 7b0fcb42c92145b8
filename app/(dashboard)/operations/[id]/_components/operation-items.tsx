import Link from "next/link";

import { OperationStatusBadge } from "@/components/operations/operation-status-badge";
import type { OperationItemJson } from "@/components/operations/types";
import { DigestText } from "@/components/ui/digest-text";
import { EmptyRow, Table, TBody, Td, Th, THead } from "@/components/ui/table";

/**
 * Per-workspace results of an operation (failed first, then running, then the
 * rest); failed rows are tinted and carry their error. `omitted` items beyond
 * the server's page are counted, never silently dropped.
 */
export function OperationItems({ items, omitted }: { items: OperationItemJson[]; omitted: number }) {
  return (
    <>
      <Table caption="Per-workspace results" testId="operation-items">
        <THead>
          <tr>
            <Th>Workspace</Th>
            <Th>Result</Th>
            <Th>From</Th>
            <Th>To</Th>
            <Th className="w-2/5">Error</Th>
          </tr>
        </THead>
        <TBody>
          {items.length === 0 && <EmptyRow colSpan={5}>This operation has no per-workspace items.</EmptyRow>}
          {items.map((item) => (
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
              </Td>
              <Td>
                <DigestText digest={item.toDigest} />
              </Td>
              <Td className="text-xs text-red-700">
                <p className="line-clamp-3 break-words" title={item.error ?? undefined}>
                  {item.error}
                </p>
              </Td>
            </tr>
          ))}
        </TBody>
      </Table>
      {omitted > 0 && (
        <p className="border-t border-slate-200 px-4 py-2 text-xs text-slate-500" data-testid="operation-items-omitted">
          {items.length.toLocaleString("en")} shown (failures and running first); {omitted.toLocaleString("en")} more not listed here.
        </p>
      )}
    </>
  );
}
