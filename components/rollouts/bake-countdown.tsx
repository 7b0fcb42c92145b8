"use client";

import { useEffect, useState } from "react";

/** "4:07" for 247 seconds; hours only when there are some ("1:02:03"). */
export function formatRemaining(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}

/**
 * Counts down to the end of a ring's bake. The deadline is the server's (`bakeUntil`, a timestamp in
 * the database), so a reload or another browser shows the same moment; this only ticks the display.
 * At zero it says the gate is being checked: the engine, not the browser, decides the ring passed.
 */
export function BakeCountdown({ bakeUntil, testId = "bake-countdown" }: { bakeUntil: Date | string; testId?: string }) {
  const deadline = new Date(bakeUntil).getTime();
  const [now, setNow] = useState<number | null>(null);

  useEffect(() => {
    // The first tick happens on the client only: the server's clock never renders a number that then jumps.
    const tick = () => setNow(Date.now());
    tick();
    const timer = setInterval(tick, 1_000);
    return () => clearInterval(timer);
  }, []);

  const remaining = now === null ? null : (deadline - now) / 1000;
  return (
    <span
      data-testid={testId}
      data-bake-until={new Date(deadline).toISOString()}
      className="inline-flex items-center gap-1 font-mono text-xs text-sky-800"
      aria-live="off"
    >
      {remaining === null
        ? "baking…"
        : remaining > 0
          ? `bake ends in ${formatRemaining(remaining)}`
          : "checking the gate…"}
    </span>
  );
}
