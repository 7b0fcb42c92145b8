import { FilterForm, SelectFilter } from "@/components/ui/filter-form";
import { TemplateFilter } from "@/components/workspaces/template-filter";
import { AUDIT_ACTION_FILTERS, type AuditFilter } from "@/lib/schemas/audit";

/** Template and action filters as a GET form; the URL is the state. */
export function AuditFilters({ filter }: { filter: AuditFilter }) {
  return (
    <FilterForm action="/audit" testId="audit-filters">
      <TemplateFilter value={filter.template} className="w-44" />
      <SelectFilter
        label="Action"
        name="action"
        value={filter.action}
        anyLabel="All actions"
        options={AUDIT_ACTION_FILTERS}
        className="w-56"
      />
    </FilterForm>
  );
}
