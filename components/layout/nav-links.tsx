"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export interface NavLink {
  href: string;
  label: string;
  /** The path prefix that marks this link current; defaults to `href`. */
  section?: string;
}

function isCurrent(pathname: string, link: NavLink): boolean {
  const section = link.section ?? link.href;
  return pathname === section || pathname.startsWith(`${section}/`);
}

/** A row of links that highlights the one whose section the operator is in. */
export function NavLinks({ label, links }: { label: string; links: readonly NavLink[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="flex flex-wrap gap-1">
      {links.map((link) => {
        const current = isCurrent(pathname, link);
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={current ? "page" : undefined}
            className={`rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap ${
              current ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-200 hover:text-slate-900"
            }`}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
