/**
 * The one logger: pino writing JSON lines to stdout (no `transport`: pino's worker-thread
 * transports break under Next's bundling). Level from FLEETPIN_LOG_LEVEL (default info; the test
 * runner sets silent). Code logs through `getLogger({ source, operationId?, workspaceId? })`, a
 * child of the process-wide root made per call, so a test that swaps the root (useRootLogger)
 * sees every line, including those of modules loaded before it.
 */
import pino, { type DestinationStream, type Logger } from "pino";

import { type LogLevel, logConfig } from "@/lib/config";

export type { Logger } from "pino";

/** What a line is about: the module, and the operation / workspace it concerns where the code has them. */
export interface LogBindings {
  source: string;
  operationId?: string;
  workspaceId?: string;
  [key: string]: unknown;
}

/** A pino logger with Fleetpin's line format: `level` as a word, ISO time, no hostname. */
export function createLogger(options: { level?: LogLevel; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? configuredLevel(),
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    // Synchronous: the line before a process.exit (a wrong configuration) must not be lost.
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

// Logging must never throw: with a wrong FLEETPIN_LOG_LEVEL (start-up reports it) lines still go out at info.
function configuredLevel(): LogLevel {
  try {
    return logConfig().level;
  } catch {
    return "info";
  }
}

type GlobalWithLogger = typeof globalThis & { __fleetpinLogger?: Logger };

/** The process-wide root, made on first use (on globalThis: Next may load this module more than once). */
function root(): Logger {
  const store = globalThis as GlobalWithLogger;
  return (store.__fleetpinLogger ??= createLogger());
}

/** A child of the root carrying `bindings` on every line. */
export function getLogger(bindings: LogBindings): Logger {
  return root().child(bindings);
}

/** Makes `logger` the root until the returned function is called (tests capture lines this way). */
export function useRootLogger(logger: Logger): () => void {
  const store = globalThis as GlobalWithLogger;
  const previous = store.__fleetpinLogger;
  store.__fleetpinLogger = logger;
  return () => {
    store.__fleetpinLogger = previous;
  };
}
