import Form from "next/form";
import Link from "next/link";
import type { ReactNode } from "react";

import { buttonClass } from "./button";
import { Select } from "./field";

/** One choice of a SelectFilter; a plain string is its own value and label. */
export type FilterOption = string | { value: string; label: string };

/**
 * Filters as a GET form to `action`: the URL is the state, so filtered views
 * can be shared and reloaded, and Clear is a link back to the bare path.
 */
export function FilterForm({ action, testId, children }: { action: string; testId: string; children: ReactNode }) {
  return (
    <Form
      action={action}
      className="flex flex-wrap items-end gap-3 border-b border-slate-200 px-4 py-3"
      data-testid={testId}
    >
      {children}
      <button type="submit" className={buttonClass("primary", "md")}>
        Apply
      </button>
      <Link href={action} className={buttonClass("ghost", "md")}>
        Clear
      </Link>
    </Form>
  );
}

/** A filter control wrapped in its label, so the label text is the control's accessible name. */
export function FilterLabel({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
      {label}
      {children}
    </label>
  );
}

/** A labelled select whose first choice, `anyLabel` with an empty value, means "not filtered". */
export function SelectFilter({
  label,
  name,
  value,
  anyLabel,
  options,
  className,
}: {
  label: string;
  name: string;
  value: string | undefined;
  anyLabel: string;
  options: readonly FilterOption[];
  className?: string;
}) {
  return (
    <FilterLabel label={label}>
      <Select name={name} defaultValue={value ?? ""} className={className}>
        <option value="">{anyLabel}</option>
        {options.map((option) =>
          typeof option === "string" ? (
            <option key={option}>{option}</option>
          ) : (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ),
        )}
      </Select>
    </FilterLabel>
  );
}
