"use client";

import type { ReactNode } from "react";
import { useFormStatus } from "react-dom";

import { buttonClass, type ButtonSize, type ButtonVariant } from "./button";

/**
 * The submit button of a form action: disabled and relabelled while the
 * action runs, so a double click never submits twice.
 */
export function SubmitButton({
  children,
  pendingLabel,
  variant = "primary",
  size = "md",
  testId,
  disabled,
  name,
  value,
}: {
  children: ReactNode;
  pendingLabel?: ReactNode;
  variant?: ButtonVariant;
  size?: ButtonSize;
  testId?: string;
  disabled?: boolean;
  name?: string;
  value?: string;
}) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      name={name}
      value={value}
      data-testid={testId}
      disabled={pending || disabled}
      aria-disabled={pending || disabled}
      className={buttonClass(variant, size)}
    >
      {pending && (
        <span aria-hidden className="size-3 animate-spin rounded-full border-2 border-current border-r-transparent" />
      )}
      {pending ? (pendingLabel ?? children) : children}
    </button>
  );
}
