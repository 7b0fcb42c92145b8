import Link from "next/link";
import type { ReactNode } from "react";

import { buttonClass } from "@/components/ui/button";

/** Previous/next links for keyset paging; a missing href renders a disabled control. */
export function Pagination({ summary, prevHref, nextHref, prevLabel = "← Previous", nextLabel = "Next →" }: {
  summary?: ReactNode;
  prevHref: string | null;
  nextHref: string | null;
  prevLabel?: string;
  nextLabel?: string;
}) {
  const disabled = buttonClass("secondary", "sm", "pointer-events-none opacity-50");
  return (
    <nav aria-label="Pagination" className="flex items-center gap-2 border-t border-slate-200 px-4 py-2.5 text-xs text-slate-600">
      <span className="mr-auto">{summary}</span>
      {prevHref ? (
        <Link href={prevHref} className={buttonClass("secondary", "sm")} data-testid="page-prev">
          {prevLabel}
        </Link>
      ) : (
        <span aria-disabled className={disabled}>
          {prevLabel}
        </span>
      )}
      {nextHref ? (
        <Link href={nextHref} className={buttonClass("secondary", "sm")} data-testid="page-next">
          {nextLabel}
        </Link>
      ) : (
        <span aria-disabled className={disabled}>
          {nextLabel}
        </span>
      )}
    </nav>
  );
}

/** `path?query` from a record, dropping empty values, so filter links stay short. */
export function hrefWith(path: string, params: Record<string, string | number | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
