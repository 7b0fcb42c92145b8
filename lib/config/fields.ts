/**
 * Field parsers of the config schema: each reads one environment variable (a string or
 * undefined) and either returns its typed value or adds one issue whose message names the
 * variable, says what is accepted and quotes what it got. Unset and blank mean "the default".
 */
import { z } from "zod";

type Ctx = z.core.$RefinementCtx<string | undefined>;

/** Adds the issue for `name` and returns z.NEVER, so a transform can `return fail(...)`. */
function fail(ctx: Ctx, name: string, accepted: string, raw: string): never {
  ctx.addIssue({ code: "custom", message: `${name} must be ${accepted}, got "${raw}"`, path: [name] });
  return z.NEVER;
}

/** Trimmed text; blank → `fallback`. */
export function text(fallback: string) {
  return z
    .string()
    .optional()
    .transform((raw) => raw?.trim() || fallback);
}

/** Trimmed text or undefined when unset or blank. */
export function optionalText() {
  return z
    .string()
    .optional()
    .transform((raw) => raw?.trim() || undefined);
}

/** The value exactly as set (not trimmed), or undefined: for secrets and values where "" means something. */
export function raw() {
  return z.string().optional();
}

/** 0 or 1 (blank → `fallback`). Anything else is refused rather than read as on, as "false" would have been. */
export function flag(name: string, fallback: boolean) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      const trimmed = value?.trim() ?? "";
      if (trimmed === "") return fallback;
      if (trimmed === "0" || trimmed === "1") return trimmed === "1";
      return fail(ctx, name, "0 or 1", trimmed);
    });
}

interface SecondsRule {
  fallback: number;
  /** Smallest accepted value. */
  min: number;
  /** Only whole seconds (else decimals such as 0.5 are accepted). */
  whole?: boolean;
  /** The minimum itself is refused (for "more than 0"). */
  exclusive?: boolean;
}

/** A number of seconds (decimal digits only: no sign, exponent or unit). */
export function seconds(name: string, rule: SecondsRule) {
  const pattern = rule.whole ? /^\d+$/ : /^\d+(\.\d+)?$/;
  const kind = rule.whole ? "a whole number of seconds" : "a number of seconds";
  const accepted = rule.exclusive ? `${kind} > ${rule.min}` : `${kind} ≥ ${rule.min}`;
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      const trimmed = value?.trim() ?? "";
      if (trimmed === "") return rule.fallback;
      const parsed = pattern.test(trimmed) ? Number(trimmed) : Number.NaN;
      const ok = Number.isFinite(parsed) && (rule.exclusive ? parsed > rule.min : parsed >= rule.min);
      return ok ? parsed : fail(ctx, name, accepted, trimmed);
    });
}

/** A whole number from `min` to `max` (blank → `fallback`). */
export function wholeNumber(name: string, fallback: number, min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      const trimmed = value?.trim() ?? "";
      if (trimmed === "") return fallback;
      const parsed = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
      return parsed >= min && parsed <= max ? parsed : fail(ctx, name, `a whole number from ${min} to ${max}`, trimmed);
    });
}

/** One of `values` (blank → `fallback`). */
export function oneOf<const V extends string>(name: string, values: readonly V[], fallback: V) {
  return z
    .string()
    .optional()
    .transform((value, ctx): V => {
      const trimmed = value?.trim() ?? "";
      if (trimmed === "") return fallback;
      return (values as readonly string[]).includes(trimmed)
        ? (trimmed as V)
        : fail(ctx, name, `one of ${values.join(", ")}`, trimmed);
    });
}

/** Adds an issue for `name` with a message of its own (cross-field and format rules). */
export function issue(ctx: z.core.$RefinementCtx<unknown>, name: string, message: string): void {
  ctx.addIssue({ code: "custom", message, path: [name] });
}
