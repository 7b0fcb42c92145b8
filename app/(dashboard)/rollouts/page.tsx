import type { Metadata } from "next";
import { Suspense } from "react";

import { RolloutsTable } from "@/components/rollouts/rollouts-table";
import { SectionError } from "@/components/status/section-error";
import { Card } from "@/components/ui/card";
import { FilterForm, SelectFilter } from "@/components/ui/filter-form";
import { PageHeader } from "@/components/ui/page-header";
import { SectionSkeleton } from "@/components/ui/skeleton";
import { TemplateFilter } from "@/components/workspaces/template-filter";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listRollouts } from "@/lib/db/rollouts/read";
import { ACTIVE_ROLLOUT_STATUSES } from "@/lib/domain/rollout-machine";
import { parseRolloutsPageParams, ROLLOUT_STATUS_FILTERS, type SearchParams } from "@/lib/schemas/page-params";
import { loadSection } from "@/lib/status/load-section";

export const metadata: Metadata = { title: "Rollouts" };

type Filter = ReturnType<typeof parseRolloutsPageParams>;

async function RolloutsSection({ filter }: { filter: Filter }) {
  const status =
    filter.status === "active" ? [...ACTIVE_ROLLOUT_STATUSES] : filter.status ? [filter.status] : undefined;
  const result = await loadSection(async () =>
    listRollouts(await getDb(), {
      ...(filter.template ? { templateName: filter.template } : {}),
      ...(status ? { status } : {}),
      limit: 100,
    }),
  );
  if (!result.ok) return <SectionError what="the rollouts" failure={result} />;
  return <RolloutsTable rows={result.data} empty="No rollout matches these filters." />;
}

export default async function RolloutsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const [, filter] = await Promise.all([requireUser(), searchParams.then(parseRolloutsPageParams)]);
  return (
    <>
      <PageHeader
        title="Rollouts"
        description="Each promote with rings enabled moves the new digest ring by ring, baking each ring before the next. Newest first."
      />
      <Card>
        <FilterForm action="/rollouts" testId="rollout-filters">
          <TemplateFilter value={filter.template} className="w-44" />
          <SelectFilter
            label="Status"
            name="status"
            value={filter.status}
            anyLabel="Any status"
            options={ROLLOUT_STATUS_FILTERS.map((value) => ({ value, label: value.replace(/_/g, " ") }))}
            className="w-40"
          />
        </FilterForm>
        <Suspense key={JSON.stringify(filter)} fallback={<SectionSkeleton rows={5} label="Loading rollouts" />}>
          <RolloutsSection filter={filter} />
        </Suspense>
      </Card>
    </>
  );
}
