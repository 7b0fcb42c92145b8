import { HostFilterFields } from "@/app/(dashboard)/_components/host-filter";
import { WorkspaceTable } from "@/app/(dashboard)/_components/workspace-table";
import { SectionError } from "@/components/status/section-error";
import { Card } from "@/components/ui/card";
import { FilterForm } from "@/components/ui/filter-form";
import { hrefWith, Pagination } from "@/components/ui/pagination";
import { getDb } from "@/lib/db/client";
import { quarantinedDigests } from "@/lib/db/ledger/quarantine";
import { listWorkspaces } from "@/lib/db/workspaces";
import type { WorkspaceFilter } from "@/lib/schemas/workspace";
import { loadSection } from "@/lib/status/load-section";

/** The stale workspaces, a page at a time, each with its Reprovision button for operators. */
export async function StaleListSection({
  filter,
  operator,
  hosts: hostsForFilter,
}: {
  filter: WorkspaceFilter;
  operator: boolean;
  /** The host names for the filter (never rejects: empty when they cannot be read). */
  hosts: Promise<string[]>;
}) {
  const [result, hosts] = await Promise.all([
    loadSection(async () => {
      const db = await getDb();
      const [page, quarantined] = await Promise.all([
        listWorkspaces(db, { ...filter, staleness: "stale" }),
        quarantinedDigests(db),
      ]);
      return { ...page, quarantined };
    }),
    hostsForFilter,
  ]);
  if (!result.ok) return <SectionError what="the stale workspaces" failure={result} />;
  const { rows, total, nextCursor, prevCursor, quarantined } = result.data;
  return (
    <Card
      title="Stale workspaces"
      description={`${total.toLocaleString("en")} running a digest other than their template's pin`}
    >
      {hosts.length > 1 && (
        <FilterForm action="/stale" testId="stale-host-filters">
          <HostFilterFields hosts={hosts} host={filter.host} hostLabel={filter.hostLabel} />
        </FilterForm>
      )}
      <WorkspaceTable
        rows={rows}
        quarantined={quarantined}
        canOperate={operator}
        empty="Nothing is stale: every workspace of a pinned template runs its pin."
      />
      <Pagination
        summary={`${rows.length} shown of ${total.toLocaleString("en")}`}
        prevHref={
          prevCursor
            ? hrefWith("/stale", {
                host: filter.host,
                hostLabel: filter.hostLabel,
                cursor: prevCursor,
                direction: "prev",
              })
            : null
        }
        nextHref={
          nextCursor
            ? hrefWith("/stale", {
                host: filter.host,
                hostLabel: filter.hostLabel,
                cursor: nextCursor,
                direction: "next",
              })
            : null
        }
      />
    </Card>
  );
}
