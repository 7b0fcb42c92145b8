import type { ReactNode } from "react";

import { cn } from "./cn";

export type BannerTone = "error" | "warning" | "success" | "info";

const TONES: Record<BannerTone, { box: string; icon: string }> = {
  error: { box: "border-red-200 bg-red-50 text-red-900", icon: "text-red-500" },
  warning: { box: "border-amber-200 bg-amber-50 text-amber-900", icon: "text-amber-500" },
  success: { box: "border-emerald-200 bg-emerald-50 text-emerald-900", icon: "text-emerald-500" },
  info: { box: "border-sky-200 bg-sky-50 text-sky-900", icon: "text-sky-500" },
};

const ICONS: Record<BannerTone, string> = { error: "!", warning: "!", success: "✓", info: "i" };

/**
 * A full-width notice. Errors and warnings are announced (role="alert"),
 * success and info politely (role="status").
 */
export function Banner({
  tone,
  title,
  children,
  testId,
  className,
}: {
  tone: BannerTone;
  title: ReactNode;
  children?: ReactNode;
  testId?: string;
  className?: string;
}) {
  const urgent = tone === "error" || tone === "warning";
  return (
    <div
      role={urgent ? "alert" : "status"}
      data-testid={testId}
      className={cn("flex gap-3 rounded-md border px-3 py-2.5 text-sm", TONES[tone].box, className)}
    >
      <span
        aria-hidden
        className={cn(
          "mt-0.5 flex size-4 shrink-0 items-center justify-center rounded-full border border-current text-[10px] font-bold",
          TONES[tone].icon,
        )}
      >
        {ICONS[tone]}
      </span>
      <div className="min-w-0">
        <p className="font-medium">{title}</p>
        {children && <div className="mt-0.5 opacity-90 [overflow-wrap:anywhere]">{children}</div>}
      </div>
    </div>
  );
}
