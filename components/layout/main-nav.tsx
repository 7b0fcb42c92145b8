"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/pins", label: "Pins" },
  { href: "/rollouts", label: "Rollouts" },
  { href: "/workspaces", label: "Workspaces" },
  { href: "/stale", label: "Stale fleet" },
  { href: "/audit", label: "Audit log" },
  { href: "/settings/api-tokens", label: "API tokens" },
  { href: "/settings/webhooks", label: "Webhooks" },
  { href: "/settings/hosts", label: "Docker hosts" },
  { href: "/settings/rings", label: "Rings" },
] as const;

/** The dashboard's top navigation; highlights the section the operator is in. */
export function MainNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex gap-1">
      {LINKS.map((link) => {
        const active = pathname === link.href || pathname.startsWith(`${link.href}/`);
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-2 text-sm font-medium ${
              active ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-200 hover:text-slate-900"
            }`}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
