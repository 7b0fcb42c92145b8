import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

import { cn } from "./cn";
import { FieldError } from "./field-error";

const CONTROL =
  "block h-9 w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-xs " +
  "placeholder:text-slate-400 focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-600/20 " +
  "aria-invalid:border-red-400 aria-invalid:ring-red-500/20 disabled:bg-slate-50";

/** The shared look of inputs, selects and textareas. */
export function controlClass(extra?: string): string {
  return cn(CONTROL, extra);
}

/**
 * A labelled form field: label, control (rendered by `children` with the ids
 * it is given), hint and the aria-live error line.
 */
export function Field({
  id,
  label,
  hint,
  errors,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  children: (control: { id: string; "aria-describedby": string; "aria-invalid": boolean | undefined }) => ReactNode;
}) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      {children({
        id,
        "aria-describedby": hint ? `${hintId} ${errorId}` : errorId,
        "aria-invalid": errors?.length ? true : undefined,
      })}
      {hint && (
        <p id={hintId} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      <FieldError id={errorId} errors={errors} />
    </div>
  );
}

/** A text input with the shared look. */
export function Input({ className, ...props }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={controlClass(className)} {...props} />;
}

/** A textarea with the shared look. */
export function Textarea({ className, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea className={controlClass(cn("h-auto min-h-16", className))} {...props} />;
}

/** A native select with the shared look. */
export function Select({ className, ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={controlClass(cn("pr-8", className))} {...props} />;
}
