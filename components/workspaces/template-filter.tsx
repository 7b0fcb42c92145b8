import { SelectFilter } from "@/components/ui/filter-form";
import { KNOWN_RUNTIMES } from "@/lib/domain/runtimes";

/** The Template select of a filter form: the known runtimes, plus the filtered one if it is another (pinned) template. */
export function TemplateFilter({ value, className }: { value: string | undefined; className: string }) {
  const templates =
    value && !(KNOWN_RUNTIMES as readonly string[]).includes(value) ? [...KNOWN_RUNTIMES, value] : KNOWN_RUNTIMES;
  return (
    <SelectFilter
      label="Template"
      name="template"
      value={value}
      anyLabel="All templates"
      options={templates}
      className={className}
    />
  );
}
