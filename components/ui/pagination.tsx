import Link from "next/link";
import type { ReactNode } from "react";

import { buttonClass } from "./button";

/** Previous/next links for keyset paging; a missing href renders a disabled control. */
export function Pagination({
  summary,
  prevHref,
  nextHref,
  prevLabel = "← Previous",
  nextLabel = "Next →",
}: {
  summary?: ReactNode;
  prevHref: string | null;
  nextHref: string | null;
  prevLabel?: string;
  nextLabel?: string;
}) {
  return (
    <nav
      aria-label="Pagination"
      className="flex items-center gap-2 border-t border-slate-200 px-4 py-2.5 text-xs text-slate-600"
    >
      <span className="mr-auto">{summary}</span>
      <PageLink href={prevHref} testId="page-prev">
        {prevLabel}
      </PageLink>
      <PageLink href={nextHref} testId="page-next">
        {nextLabel}
      </PageLink>
    </nav>
  );
}

/** One paging link, or its disabled look (no test id) when there is no page that way. */
function PageLink({ href, testId, children }: { href: string | null; testId: string; children: ReactNode }) {
  if (!href) {
    return (
      <span aria-disabled className={buttonClass("secondary", "sm", "pointer-events-none opacity-50")}>
        {children}
      </span>
    );
  }
  return (
    <Link href={href} className={buttonClass("secondary", "sm")} data-testid={testId}>
      {children}
    </Link>
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
