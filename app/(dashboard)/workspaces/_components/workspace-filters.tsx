import Form from "next/form";
import Link from "next/link";

import { buttonClass } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/field";
import { STALENESS_LABELS } from "@/components/workspaces/staleness-badge";
import { STALENESS_VALUES } from "@/lib/pins/staleness";
import { KNOWN_RUNTIMES } from "@/lib/provisioner/registry";
import { WORKSPACE_STATUSES, type WorkspaceFilter } from "@/lib/schemas/workspace";

/**
 * Filters as a GET form: the URL is the state, so filtered views can be
 * shared and reloaded, and changing a filter starts again at the first page.
 */
export function WorkspaceFilters({ filter }: { filter: WorkspaceFilter }) {
  const templates = filter.template && !(KNOWN_RUNTIMES as readonly string[]).includes(filter.template) ? [...KNOWN_RUNTIMES, filter.template] : KNOWN_RUNTIMES;
  const label = "flex flex-col gap-1 text-xs font-medium text-slate-700";
  return (
    <Form action="/workspaces" className="flex flex-wrap items-end gap-3 border-b border-slate-200 px-4 py-3" data-testid="workspace-filters">
      <label className={label}>
        Search
        <Input name="q" defaultValue={filter.q ?? ""} placeholder="Name or id prefix" className="w-48" />
      </label>
      <label className={label}>
        Template
        <Select name="template" defaultValue={filter.template ?? ""} className="w-40">
          <option value="">All templates</option>
          {templates.map((template) => (
            <option key={template}>{template}</option>
          ))}
        </Select>
      </label>
      <label className={label}>
        Status
        <Select name="status" defaultValue={filter.status ?? ""} className="w-40">
          <option value="">Any (except removed)</option>
          {WORKSPACE_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status.replace(/_/g, " ")}
            </option>
          ))}
        </Select>
      </label>
      <label className={label}>
        Pin
        <Select name="staleness" defaultValue={filter.staleness ?? ""} className="w-40">
          <option value="">Any</option>
          {STALENESS_VALUES.map((value) => (
            <option key={value} value={value}>
              {STALENESS_LABELS[value]}
            </option>
          ))}
        </Select>
      </label>
      <button type="submit" className={buttonClass("primary", "md")}>
        Apply
      </button>
      <Link href="/workspaces" className={buttonClass("ghost", "md")}>
        Clear
      </Link>
    </Form>
  );
}
