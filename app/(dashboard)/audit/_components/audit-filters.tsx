import Form from "next/form";
import Link from "next/link";

import { buttonClass } from "@/components/ui/button";
import { Select } from "@/components/ui/field";
import { KNOWN_RUNTIMES } from "@/lib/provisioner/registry";
import { AUDIT_ACTION_FILTERS, type AuditFilter } from "@/lib/schemas/audit";

/** Template and action filters as a GET form; the URL is the state. */
export function AuditFilters({ filter }: { filter: AuditFilter }) {
  const templates = filter.template && !(KNOWN_RUNTIMES as readonly string[]).includes(filter.template) ? [...KNOWN_RUNTIMES, filter.template] : KNOWN_RUNTIMES;
  const label = "flex flex-col gap-1 text-xs font-medium text-slate-700";
  return (
    <Form action="/audit" className="flex flex-wrap items-end gap-3 border-b border-slate-200 px-4 py-3" data-testid="audit-filters">
      <label className={label}>
        Template
        <Select name="template" defaultValue={filter.template ?? ""} className="w-44">
          <option value="">All templates</option>
          {templates.map((template) => (
            <option key={template}>{template}</option>
          ))}
        </Select>
      </label>
      <label className={label}>
        Action
        <Select name="action" defaultValue={filter.action ?? ""} className="w-56">
          <option value="">All actions</option>
          {AUDIT_ACTION_FILTERS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </Select>
      </label>
      <button type="submit" className={buttonClass("primary", "md")}>
        Apply
      </button>
      <Link href="/audit" className={buttonClass("ghost", "md")}>
        Clear
      </Link>
    </Form>
  );
}
