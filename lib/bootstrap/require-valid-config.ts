import "server-only";

import { appConfig, ConfigError } from "@/lib/config";
import { createLogger } from "@/lib/log/logger";

/**
 * The first start-up step: parse the whole configuration. A wrong value stops the process with
 * the message naming each wrong variable and what it accepts, instead of a dashboard that runs
 * on a guess and fails later somewhere less clear. `exit` is a seam for tests.
 */
export function requireValidConfig(
  exit: (code: number) => never = process.exit,
  report: (message: string) => void = reportFatal,
): void {
  try {
    appConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    report(`start-up stopped: ${error.message}`);
    exit(1);
  }
}

// At a fixed level: FLEETPIN_LOG_LEVEL may be the wrong value itself.
function reportFatal(message: string): void {
  createLogger({ level: "info" }).fatal({ source: "config", event: "config_invalid" }, message);
}
