"use client";

import { useRouter } from "next/navigation";
import { useEffect, useEffectEvent, useRef } from "react";

import type { ActionResult } from "@/lib/util/action-result";

/**
 * Reacts once to each new action result: calls `onSuccess` with the data, and
 * on a conflict refreshes the server data so the form now carries (and shows)
 * the current state, ready for a deliberate second submit.
 */
export function useActionOutcome<T>(state: ActionResult<T> | null, onSuccess?: (data: T) => void): void {
  const router = useRouter();
  const seen = useRef<ActionResult<T> | null>(null);
  // The caller's latest onSuccess, without making the effect depend on it (a new function each render).
  const succeeded = useEffectEvent((data: T) => onSuccess?.(data));

  useEffect(() => {
    if (!state || state === seen.current) return;
    seen.current = state;
    if (state.ok) succeeded(state.data);
    else if (state.code === "conflict") router.refresh();
  }, [state, router]);
}
