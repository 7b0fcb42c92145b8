/**
 * The error line under a field. Always rendered (empty when valid) so the
 * aria-live region exists before the first error and screen readers announce it.
 * Point the field's aria-describedby at `id`.
 */
export function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  return (
    <p id={id} aria-live="polite" className="min-h-4 text-xs text-red-600">
      {errors?.join(" ")}
    </p>
  );
}
