"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Re-renders the page's server components every `seconds` while `active`: a rollout moves on the
 * server's clock (reprovision, bake, gate), and the page should follow without the operator reloading.
 * A refresh keeps client state (open forms, typed reasons) because React reconciles, not remounts.
 */
export function AutoRefresh({ active, seconds = 2 }: { active: boolean; seconds?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), seconds * 1_000);
    return () => clearInterval(timer);
  }, [active, seconds, router]);
  return null;
}
