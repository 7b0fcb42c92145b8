import Link from "next/link";
import type { ReactNode } from "react";

import { signOutAction } from "@/app/login/actions";
import { UserMenu } from "@/components/auth/user-menu";
import { MainNav } from "@/components/layout/main-nav";
import { requireUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  // Render gating only: every page, action and route handler checks the session itself.
  const user = await requireUser();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl items-center gap-6 px-6 py-3">
          <Link href="/pins" className="text-lg font-semibold tracking-tight">
            Fleetpin
          </Link>
          <MainNav />
          <UserMenu user={user} signOutAction={signOutAction} />
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-6 py-8">{children}</main>
    </div>
  );
}
