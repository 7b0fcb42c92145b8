import { DigestText } from "@/components/ui/digest-text";
import { DataTable, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { repositoryUrl } from "@/lib/ledger/compare-link";
import { formatBytes } from "@/lib/ledger/format-size";
import type { LedgerDigest } from "@/lib/ledger/list-ledger";

import { DigestStateBadge } from "./digest-state-badge";
import { LiftQuarantineForm } from "./lift-quarantine-form";

const COLUMNS = ["Digest", "State", "First seen", "Tags", "Created", "Revision", "Size", "Platforms", "Fleet"];

/** A template's digests, newest first: what the registry says about each, its tags, and where the fleet runs it. */
export function DigestLedgerTable({
  templateName,
  rows,
  canOperate,
}: {
  templateName: string;
  rows: LedgerDigest[];
  canOperate: boolean;
}) {
  return (
    <DataTable
      caption="Digests"
      testId="digest-ledger"
      columns={COLUMNS}
      rows={rows}
      empty="No digest seen yet: the watcher records :latest on its next pass."
    >
      {(row) => (
        <tr key={row.digest} data-testid="digest-ledger-row" data-digest={row.digest} data-state={row.state}>
          <Td>
            <DigestText digest={row.digest} />
            {row.registryMissingSince && <p className="text-xs font-medium text-red-700">missing from the registry</p>}
          </Td>
          <Td>
            <DigestStateBadge state={row.state} reason={row.quarantine?.reason} />
            {row.quarantine && (
              <div className="mt-1 max-w-64 text-xs text-red-800" data-testid="quarantine-reason">
                by {row.quarantine.by}, <TimeAgo date={row.quarantine.at} />: {row.quarantine.reason}
                {canOperate && <LiftQuarantineForm templateName={templateName} digest={row.digest} />}
              </div>
            )}
            {!row.quarantine && row.lastLift && (
              <p className="mt-1 max-w-64 text-xs text-slate-500">
                quarantine lifted by {row.lastLift.by}: {row.lastLift.reason}
              </p>
            )}
          </Td>
          <Td className="text-xs text-slate-600">
            <TimeAgo date={row.firstSeenAt} />
            <div className="text-slate-500">via {row.seenVia.join(", ").replace("_", " ")}</div>
          </Td>
          <Td className="text-xs" data-testid="digest-tags">
            {row.tags.length === 0
              ? "—"
              : row.tags.map((tag) => (
                  <div
                    key={`${tag.tag}-${tag.since.toISOString()}`}
                    data-testid="digest-tag"
                    className={tag.until ? "text-slate-400" : "font-medium text-slate-800"}
                  >
                    :{tag.tag}{" "}
                    <span className="font-normal">
                      {tag.until ? (
                        <>
                          <TimeAgo date={tag.since} /> – moved on <TimeAgo date={tag.until} />
                        </>
                      ) : (
                        <>
                          since <TimeAgo date={tag.since} />
                        </>
                      )}
                    </span>
                  </div>
                ))}
          </Td>
          <Td className="text-xs text-slate-600" data-testid="digest-created">
            {row.configCreated ? <TimeAgo date={row.configCreated} /> : "—"}
          </Td>
          <Td className="text-xs" data-testid="digest-revision">
            <Revision revision={row.labels.revision} source={row.labels.source} />
            {row.labels.version && <div className="text-slate-500">v {row.labels.version}</div>}
          </Td>
          <Td className="whitespace-nowrap text-xs text-slate-600">{formatBytes(row.compressedSize)}</Td>
          <Td className="text-xs text-slate-600">
            {row.platforms?.join(", ") || (row.metadataError ? <span title={row.metadataError}>unreadable</span> : "—")}
          </Td>
          <Td className="text-xs text-slate-700" data-testid="digest-fleet">
            {row.workspaces > 0 ? (
              <>
                {row.workspaces} running
                <div className="text-slate-500">
                  on {row.hosts.map((host) => `${host.host} (${host.workspaces})`).join(", ")}
                </div>
              </>
            ) : (
              "—"
            )}
          </Td>
        </tr>
      )}
    </DataTable>
  );
}

function Revision({ revision, source }: { revision: string | null; source: string | null }) {
  if (!revision) return <>—</>;
  const repository = source ? repositoryUrl(source) : null;
  const short = revision.length > 12 ? revision.slice(0, 12) : revision;
  if (!repository)
    return (
      <span className="font-mono" title={source ?? undefined}>
        {short}
      </span>
    );
  const href =
    repository.kind === "github"
      ? `${repository.url}/commit/${encodeURIComponent(revision)}`
      : `${repository.url}/-/commit/${encodeURIComponent(revision)}`;
  return (
    <a
      href={href}
      className="font-mono text-sky-700 hover:underline"
      rel="noreferrer noopener"
      target="_blank"
      title={revision}
    >
      {short}
    </a>
  );
}
