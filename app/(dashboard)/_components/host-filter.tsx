import { Input } from "@/components/ui/field";
import { FilterLabel, SelectFilter } from "@/components/ui/filter-form";

/** Host and host-label filters, inside a FilterForm (workspaces and stale lists). */
export function HostFilterFields({
  hosts,
  host,
  hostLabel,
}: {
  hosts: string[];
  host: string | undefined;
  hostLabel: string | undefined;
}) {
  return (
    <>
      <SelectFilter label="Host" name="host" value={host} anyLabel="Any host" options={hosts} className="w-36" />
      <FilterLabel label="Host label">
        <Input name="hostLabel" defaultValue={hostLabel ?? ""} placeholder="region=eu" className="w-32" />
      </FilterLabel>
    </>
  );
}
