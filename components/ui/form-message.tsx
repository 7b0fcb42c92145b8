import type { ActionResult } from "@/lib/util/action-result";

/**
 * The outcome line of a form: the failure message of an ActionResult, or a
 * success message the caller chooses. Lives in an aria-live region.
 */
export function FormMessage({
  state,
  success,
  testId,
}: {
  state: ActionResult<unknown> | null;
  success?: string;
  testId?: string;
}) {
  const text = !state ? "" : state.ok ? (success ?? state.message ?? "") : state.message;
  const tone =
    state && !state.ok ? "border-red-200 bg-red-50 text-red-800" : "border-emerald-200 bg-emerald-50 text-emerald-800";
  return (
    <div aria-live="polite" data-testid={testId}>
      {text && (
        <p
          role={state && !state.ok ? "alert" : "status"}
          className={`rounded-md border px-3 py-2 text-sm [overflow-wrap:anywhere] ${tone}`}
        >
          {text}
        </p>
      )}
    </div>
  );
}
