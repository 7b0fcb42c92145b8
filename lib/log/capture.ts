/**
 * Test helper: every line logged until `restore()` is collected (parsed) instead of written.
 * Lives beside the logger so tests of any module can import it; nothing in production calls it.
 */
import { Writable } from "node:stream";

import type { LogLevel } from "@/lib/config";

import { createLogger, useRootLogger } from "./logger";

export interface LogLine {
  level: string;
  msg?: string;
  source?: string;
  [key: string]: unknown;
}

export function captureLogs(level: LogLevel = "trace"): { lines: LogLine[]; restore: () => void } {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split("\n")) if (text.trim() !== "") lines.push(JSON.parse(text) as LogLine);
      done();
    },
  });
  const restore = useRootLogger(createLogger({ level, destination }));
  return { lines, restore };
}
