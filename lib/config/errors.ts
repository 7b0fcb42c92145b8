import { ValidationError } from "@/lib/domain/errors";

/**
 * One or more environment variables hold a value Fleetpin does not accept. Each problem names
 * its variable and what is accepted; start-up stops on it instead of running with a guess.
 * A ValidationError, so code that caught the per-module parsers' errors keeps working.
 */
export class ConfigError extends ValidationError {
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0]! : `Invalid configuration:\n- ${problems.join("\n- ")}`);
    this.name = "ConfigError";
  }
}
