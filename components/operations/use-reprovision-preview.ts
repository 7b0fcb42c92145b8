"use client";

import { useEffect, useState } from "react";

/**
 * Loads GET /api/reprovision-preview?<query> when mounted (the confirm dialogs mount their
 * content when they open) and again when the query changes. A failure is shown as `problem`:
 * the operator can still confirm, just without the preview.
 */
export function useReprovisionPreview<T>(query: string): {
  preview: T | null;
  problem: string | null;
  loading: boolean;
} {
  const [result, setResult] = useState<{ query: string; preview: T | null; problem: string | null } | null>(null);

  useEffect(() => {
    let active = true;
    (async () => {
      try {
        const response = await fetch(`/api/reprovision-preview?${query}`, { cache: "no-store" });
        const body = (await response.json().catch(() => null)) as (T & { message?: string }) | null;
        if (!active) return;
        if (!response.ok || !body)
          setResult({
            query,
            preview: null,
            problem: body?.message ?? `The preview failed (HTTP ${response.status}).`,
          });
        else setResult({ query, preview: body, problem: null });
      } catch (error) {
        if (active)
          setResult({
            query,
            preview: null,
            problem: `The preview could not be loaded (${error instanceof Error ? error.message : String(error)}).`,
          });
      }
    })();
    return () => {
      active = false;
    };
  }, [query]);

  const current = result?.query === query ? result : null;
  return { preview: current?.preview ?? null, problem: current?.problem ?? null, loading: current === null };
}
