import { HostFilterFields } from "@/app/(dashboard)/_components/host-filter";
import { Input } from "@/components/ui/field";
import { FilterForm, FilterLabel, SelectFilter } from "@/components/ui/filter-form";
import { STALENESS_LABELS } from "@/components/workspaces/staleness-badge";
import { TemplateFilter } from "@/components/workspaces/template-filter";
import { STALENESS_VALUES } from "@/lib/domain/staleness";
import { WORKSPACE_STATUSES, type WorkspaceFilter } from "@/lib/schemas/workspace";

const STATUS_OPTIONS = WORKSPACE_STATUSES.map((status) => ({ value: status, label: status.replace(/_/g, " ") }));
const STALENESS_OPTIONS = STALENESS_VALUES.map((value) => ({ value, label: STALENESS_LABELS[value] }));

/**
 * Filters as a GET form: the URL is the state, so filtered views can be
 * shared and reloaded, and changing a filter starts again at the first page.
 */
export function WorkspaceFilters({ filter, hosts }: { filter: WorkspaceFilter; hosts: string[] }) {
  return (
    <FilterForm action="/workspaces" testId="workspace-filters">
      <FilterLabel label="Search">
        <Input name="q" defaultValue={filter.q ?? ""} placeholder="Name or id prefix" className="w-48" />
      </FilterLabel>
      <TemplateFilter value={filter.template} className="w-40" />
      <SelectFilter
        label="Status"
        name="status"
        value={filter.status}
        anyLabel="Any (except removed)"
        options={STATUS_OPTIONS}
        className="w-40"
      />
      <SelectFilter
        label="Pin"
        name="staleness"
        value={filter.staleness}
        anyLabel="Any"
        options={STALENESS_OPTIONS}
        className="w-40"
      />
      <HostFilterFields hosts={hosts} host={filter.host} hostLabel={filter.hostLabel} />
    </FilterForm>
  );
}
