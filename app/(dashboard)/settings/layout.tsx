import type { ReactNode } from "react";

import { SettingsNav } from "@/components/layout/settings-nav";

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <div className="space-y-6">
      <div className="border-b border-slate-200 pb-3">
        <SettingsNav />
      </div>
      {children}
    </div>
  );
}
