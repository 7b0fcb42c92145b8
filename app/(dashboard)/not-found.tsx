import { ButtonLink } from "@/components/ui/button";

/** Unknown template, operation or page inside the dashboard. */
export default function DashboardNotFound() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-lg font-semibold">Not found</h1>
      <p className="mt-1 text-sm text-slate-600">It may have been removed, or the link is wrong.</p>
      <ButtonLink href="/pins" className="mt-4">
        Back to pins
      </ButtonLink>
    </div>
  );
}
