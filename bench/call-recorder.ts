// Records what one bulk reprovision asks of Docker and of the database, without
// changing it: a Proxy around the DockerClient and a Prisma query extension on the
// client, both handed to runOperation in place of the real ones. Used for the
// per-item profile (calls and time per Docker method and per statement) and for the
// health gate's own time, read from the swap journal (see gateDurations).
import { performance } from "node:perf_hooks";

import type { Db } from "@/lib/db/client";
import type { DockerClient } from "@/lib/provisioner/docker/types";

/** Calls made and milliseconds spent (summed, so concurrent calls overlap) per method or statement. */
export type CallTotals = Record<string, { calls: number; ms: number }>;

/** When the "gating" journal entry of a new container was written (ms, performance clock). */
type GatingMark = { workspaceId: string; newContainerId: string; at: number };

export type CallRecorder = {
  docker: DockerClient;
  db: Db;
  dockerTotals(): CallTotals;
  dbTotals(): CallTotals;
  /** Per item: from the "gating" journal write to the end of the gate's last inspection of the new container. */
  gateDurations(): number[];
};

export function recordCalls(docker: DockerClient, db: Db): CallRecorder {
  const dockerCalls: CallTotals = {};
  const dbCalls: CallTotals = {};
  const gating: GatingMark[] = [];
  // The gate is the only code that inspects the new container after it started (the digest is read from its image).
  const lastInspectEnd = new Map<string, number>();
  const add = (totals: CallTotals, key: string, ms: number) => {
    const entry = (totals[key] ??= { calls: 0, ms: 0 });
    entry.calls += 1;
    entry.ms += ms;
  };

  const recordedDocker = new Proxy(docker, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          const ended = performance.now();
          add(dockerCalls, String(property), ended - started);
          if (property === "inspectContainer" && typeof args[0] === "string") lastInspectEnd.set(args[0], ended);
        }
      };
    },
  });

  const recordedDb = db.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        const started = performance.now();
        const step = journalStep(args);
        if (step?.step === "gating" && step.newContainerId && step.workspaceId) {
          gating.push({ workspaceId: step.workspaceId, newContainerId: step.newContainerId, at: started });
        }
        try {
          return await query(args);
        } finally {
          add(dbCalls, model ? `${model}.${operation}` : operation, performance.now() - started);
        }
      },
    },
  }) as unknown as Db;

  return {
    docker: recordedDocker,
    db: recordedDb,
    dockerTotals: () => structuredClone(dockerCalls),
    dbTotals: () => structuredClone(dbCalls),
    gateDurations() {
      return gating.flatMap((mark) => {
        const end = lastInspectEnd.get(mark.newContainerId);
        return end !== undefined && end >= mark.at ? [end - mark.at] : [];
      });
    },
  };
}

/** The journal entry a `workspace.updateMany` writes (lib/db/swap-journal.ts writeSwapRecord), if it is one. */
function journalStep(args: unknown): { step?: string; newContainerId?: string | null; workspaceId?: string } | null {
  const { where, data } = (args ?? {}) as { where?: { id?: unknown }; data?: { swapState?: unknown } };
  const swap = data?.swapState;
  if (!swap || typeof swap !== "object" || !("step" in swap)) return null;
  const record = swap as { step?: string; newContainerId?: string | null };
  return {
    step: record.step,
    newContainerId: record.newContainerId ?? null,
    workspaceId: typeof where?.id === "string" ? where.id : undefined,
  };
}
