"use client";

import { useEffect, useEffectEvent, useRef, useState } from "react";

import { isTerminalOperationStatus } from "@/lib/schemas/operation";

import type { OperationProgressJson } from "./types";

export const POLL_INTERVAL_MS = 1_000;
const RETRY_INTERVAL_MS = 3_000;

/**
 * Polls GET /api/operations/[id] about once a second until the operation is
 * terminal. A network hiccup keeps the last known state and retries; an
 * answer that will not change by retrying (signed out, gone) stops polling
 * with its message. `onTerminal` runs once, when the operation finishes.
 */
export function useOperationProgress(
  operationId: string,
  initial: OperationProgressJson | null,
  onTerminal?: (progress: OperationProgressJson) => void,
): { progress: OperationProgressJson | null; problem: string | null } {
  const [progress, setProgress] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [stopped, setStopped] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const terminal = progress !== null && isTerminalOperationStatus(progress.status);
  // The caller's latest onTerminal, without making the effect below depend on it (a new function each render).
  const reportTerminal = useEffectEvent((finished: OperationProgressJson) => onTerminal?.(finished));
  const reported = useRef(terminal);

  useEffect(() => {
    if (terminal || stopped) return;
    let active = true;
    const delay = progress === null && attempt === 0 ? 0 : problem ? RETRY_INTERVAL_MS : POLL_INTERVAL_MS;
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/operations/${encodeURIComponent(operationId)}`, { cache: "no-store" });
        const body = (await response.json().catch(() => null)) as (OperationProgressJson & { message?: string }) | null;
        if (!active) return;
        if ([401, 403, 404].includes(response.status)) {
          setProblem(body?.message ?? `The server answered HTTP ${response.status}.`);
          setStopped(true);
        } else if (!response.ok || !body) {
          throw new Error(body?.message ?? `HTTP ${response.status}`);
        } else {
          setProgress(body);
          setProblem(null);
        }
      } catch (error) {
        if (!active) return;
        setProblem(
          `Lost contact with the server (${error instanceof Error ? error.message : String(error)}); retrying…`,
        );
        setAttempt((n) => n + 1);
      }
    }, delay);
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [operationId, progress, attempt, problem, terminal, stopped]);

  useEffect(() => {
    if (terminal && progress && !reported.current) {
      reported.current = true;
      reportTerminal(progress);
    }
  }, [terminal, progress]);

  return { progress, problem };
}
