import type { ReactNode } from "react";

import { cn } from "./cn";

/** A white panel with an optional title bar and actions on the right. */
export function Card({
  title,
  description,
  actions,
  children,
  className,
  testId,
}: {
  title?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  const headingId = typeof title === "string" ? `card-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}` : undefined;
  return (
    <section
      aria-labelledby={headingId}
      data-testid={testId}
      className={cn("rounded-lg border border-slate-200 bg-white shadow-sm", className)}
    >
      {(title || actions) && (
        <header className="flex flex-wrap items-center gap-3 border-b border-slate-200 px-4 py-3">
          <div className="min-w-0">
            {title && (
              <h2 id={headingId} className="text-sm font-semibold text-slate-900">
                {title}
              </h2>
            )}
            {description && <p className="mt-0.5 text-xs text-slate-500">{description}</p>}
          </div>
          {actions && <div className="ml-auto flex items-center gap-2">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}
