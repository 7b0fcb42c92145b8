import { Badge } from "@/components/ui/badge";
import { ACTIONS_COLUMN, DataTable, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import type { ApiTokenRow } from "@/lib/db/api-tokens";

import { RevokeTokenButton } from "./revoke-token-button";

const COLUMNS = ["Name", "Role", "Token", "Created", "Last used", "Expires", "State"];

/** Every API token: who made it, when it was last used, and (for operators) revoke. */
export function TokenTable({ rows, canOperate, now }: { rows: ApiTokenRow[]; canOperate: boolean; now: Date }) {
  return (
    <DataTable
      caption="API tokens"
      testId="api-tokens"
      columns={[...COLUMNS, canOperate && ACTIONS_COLUMN]}
      rows={rows}
      empty="No API tokens yet."
    >
      {(row) => {
        const expired = row.expiresAt !== null && row.expiresAt <= now;
        return (
          <tr key={row.id} data-testid={`token-row-${row.name}`}>
            <Td className="font-medium text-slate-900">{row.name}</Td>
            <Td>{row.role}</Td>
            <Td className="font-mono text-xs text-slate-600">{row.tokenPrefix}…</Td>
            <Td className="text-xs text-slate-600">
              <TimeAgo date={row.createdAt} />
              <div className="text-slate-500">{row.createdBy}</div>
            </Td>
            <Td className="text-xs text-slate-600">{row.lastUsedAt ? <TimeAgo date={row.lastUsedAt} /> : "never"}</Td>
            <Td className="text-xs text-slate-600">
              {row.expiresAt ? <TimeAgo date={row.expiresAt} absolute /> : "never"}
            </Td>
            <Td>
              {row.revokedAt ? (
                <Badge tone="muted" title={`by ${row.revokedBy ?? "unknown"}`}>
                  revoked
                </Badge>
              ) : expired ? (
                <Badge tone="warning">expired</Badge>
              ) : (
                <Badge tone="success">active</Badge>
              )}
            </Td>
            {canOperate && <Td>{!row.revokedAt && <RevokeTokenButton tokenId={row.id} name={row.name} />}</Td>}
          </tr>
        );
      }}
    </DataTable>
  );
}
