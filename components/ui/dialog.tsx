"use client";

import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from "react";

import { Button, type ButtonSize, type ButtonVariant } from "./button";

export type DialogTrigger = {
  label: ReactNode;
  variant?: ButtonVariant;
  size?: ButtonSize;
  testId?: string;
  ariaLabel?: string;
  disabled?: boolean;
};

/**
 * A modal built on <dialog>: the trigger button opens it, Escape, the close
 * button or a backdrop click close it. The content is remounted on every
 * open, so a form never shows the outcome of its previous use.
 */
export function Dialog({
  trigger,
  title,
  description,
  children,
  testId,
}: {
  trigger: DialogTrigger;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode | ((close: () => void) => ReactNode);
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const [session, setSession] = useState(0);
  // Closing goes through state (the effect closes the element), so render-time code such as
  // `children(close)` hands out no function that reads the ref.
  const close = useCallback(() => setOpen(false), []);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    else if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <>
      <Button
        variant={trigger.variant}
        size={trigger.size ?? "sm"}
        data-testid={trigger.testId}
        aria-label={trigger.ariaLabel}
        aria-haspopup="dialog"
        disabled={trigger.disabled}
        onClick={() => {
          setSession((n) => n + 1);
          setOpen(true);
        }}
      >
        {trigger.label}
      </Button>
      <dialog
        ref={ref}
        aria-labelledby={titleId}
        data-testid={testId}
        onClose={() => setOpen(false)}
        onClick={(event) => {
          if (event.target === event.currentTarget) close();
        }}
        className="m-auto w-[min(36rem,calc(100vw-2rem))] rounded-lg text-left border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
      >
        {open && (
          <div key={session} className="p-5">
            <div className="mb-4 flex items-start gap-3">
              <div className="min-w-0">
                <h2 id={titleId} className="text-base font-semibold">
                  {title}
                </h2>
                {description && <div className="mt-1 text-sm text-slate-600">{description}</div>}
              </div>
              <Button variant="ghost" size="sm" className="ml-auto" aria-label="Close" onClick={close}>
                ✕
              </Button>
            </div>
            {typeof children === "function" ? children(close) : children}
          </div>
        )}
      </dialog>
    </>
  );
}
