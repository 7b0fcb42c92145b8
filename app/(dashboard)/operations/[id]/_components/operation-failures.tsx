import Link from "next/link";

import type { OperationProgressJson } from "@/components/operations/types";
import { Card } from "@/components/ui/card";
import { failureText } from "@/lib/domain/operation-text";

/**
 * Every failed workspace with its error and where it left the workspace, above
 * the full list, so a failure is never just a number. The server sends failed items first.
 */
export function OperationFailures({ progress }: { progress: OperationProgressJson }) {
  const failures = progress.items.filter((item) => item.status === "failed");
  if (progress.failed === 0 && failures.length === 0) return null;
  const unlisted = progress.failed - failures.length;
  return (
    <Card title={`Failures (${progress.failed})`} testId="operation-failures" className="border-red-200">
      <ul className="divide-y divide-red-100">
        {failures.map((item) => (
          <li
            key={item.id}
            className="flex flex-wrap gap-x-3 px-4 py-2 text-sm"
            data-testid={`operation-failure-${item.workspaceId}`}
          >
            <Link href={`/workspaces?q=${item.workspaceId}`} className="font-medium text-slate-900 hover:underline">
              {item.workspaceName}
            </Link>
            <span className="min-w-0 flex-1 break-words text-red-700">{failureText(item)}</span>
          </li>
        ))}
      </ul>
      {unlisted > 0 && (
        <p className="border-t border-red-100 px-4 py-2 text-xs text-red-700">
          …and {unlisted} more failures beyond the listed items.
        </p>
      )}
    </Card>
  );
}
