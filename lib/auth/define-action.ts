import "server-only";

import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";

import { isDatabaseUnavailable } from "@/lib/db/errors";
import { isFleetpinError, ValidationError } from "@/lib/domain/errors";
import { hasRole, type Role } from "@/lib/domain/roles";
import { getLogger } from "@/lib/log/logger";
import { fail, ok, type ActionResult } from "@/lib/util/action-result";

import { getSessionUser, type SessionUser } from "./session";

export type ActionOptions<S extends z.ZodType, T> = {
  /** The least role allowed to run it: "viewer" (any signed-in user) or "operator". */
  role: Role;
  schema: S;
  run: (input: z.infer<S>, user: SessionUser) => Promise<T>;
  /** Paths to revalidate after a successful run. */
  revalidate?: string[];
  /** Name for the error log (defaults to the run function's name). */
  name?: string;
};

export type ServerAction<T> = (prev: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>;

/** What an action needs from the outside world; tests pass their own session source. */
export type ActionDeps = {
  getUser: () => Promise<SessionUser | null>;
  revalidatePath: (path: string) => void;
  logError: (message: string, context: Record<string, unknown>) => void;
};

export const UNEXPECTED_ERROR_MESSAGE = "Something went wrong. The error was logged.";

/**
 * Builds defineAction over the given dependencies. Order matters: the session
 * and role are checked before the input is even parsed, so a signed-out or
 * viewer caller learns nothing from validation messages.
 */
export function createActionDefiner(deps: ActionDeps) {
  return function define<S extends z.ZodType, T>(options: ActionOptions<S, T>): ServerAction<T> {
    const name = options.name ?? (options.run.name || "anonymous action");
    return async (_prev, formData) => {
      let user: SessionUser | null;
      try {
        user = await deps.getUser();
      } catch (error) {
        // The caller is not known to be signed in: no database details for them, all of it for the log.
        deps.logError(`server action ${name}: the session could not be checked`, {
          action: name,
          user: null,
          role: null,
          error,
        });
        return isDatabaseUnavailable(error)
          ? fail(
              "Your session cannot be checked: the database is unavailable. Try again shortly.",
              undefined,
              "database_unavailable",
            )
          : fail(UNEXPECTED_ERROR_MESSAGE, undefined, "internal_error");
      }
      try {
        if (!user) return fail("Your session has ended. Sign in again.", undefined, "unauthenticated");
        if (!hasRole(user.role, options.role)) {
          return fail(
            `This needs the ${options.role} role; you are signed in as a ${user.role}.`,
            undefined,
            "forbidden",
          );
        }

        const parsed = options.schema.safeParse(formDataToObject(formData));
        if (!parsed.success) return invalidInput(parsed.error);

        const data = await options.run(parsed.data as z.infer<S>, user);
        for (const path of options.revalidate ?? []) deps.revalidatePath(path);
        return ok(data);
      } catch (error) {
        // redirect()/notFound() inside run are control flow for Next, not failures.
        unstable_rethrow(error);
        if (isFleetpinError(error)) {
          const fieldErrors =
            error instanceof ValidationError && Object.keys(error.fieldErrors).length > 0
              ? error.fieldErrors
              : undefined;
          return fail(error.message, fieldErrors, error.code);
        }
        deps.logError(`server action ${name} failed`, {
          action: name,
          user: user?.email ?? null,
          role: user?.role ?? null,
          error,
        });
        return fail(UNEXPECTED_ERROR_MESSAGE, undefined, "internal_error");
      }
    };
  };
}

/**
 * Wraps a server action: re-checks the session and role itself (never trusting
 * proxy.ts or the page), validates the form with `schema`, runs, revalidates,
 * and returns an ActionResult. Expected errors (lib/domain/errors.ts) become their
 * message and code; anything else is logged and reported generically.
 * Form fields become an object as by Object.fromEntries, except that fields
 * named `name[]` are collected into an array under `name`.
 */
export const defineAction = createActionDefiner({
  getUser: getSessionUser,
  revalidatePath: (path) => revalidatePath(path),
  logError: (message, { error, ...context }) =>
    getLogger({ source: "actions" }).error({ ...context, err: error }, message),
});

/** Form fields as a plain object; `x[]` fields (checkbox lists) always become arrays. */
export function formDataToObject(formData: FormData): Record<string, FormDataEntryValue | FormDataEntryValue[]> {
  const result: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {};
  for (const [key, value] of formData.entries()) {
    // React's progressive-enhancement bookkeeping, not user input.
    if (key.startsWith("$ACTION_")) continue;
    if (key.endsWith("[]")) {
      const name = key.slice(0, -2);
      const list = result[name];
      result[name] = Array.isArray(list) ? [...list, value] : [value];
    } else {
      result[key] = value;
    }
  }
  return result;
}

function invalidInput(error: z.ZodError): ActionResult<never> {
  const flat = z.flattenError(error);
  const fieldErrors: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(flat.fieldErrors as Record<string, string[] | undefined>)) {
    if (messages && messages.length > 0) fieldErrors[field] = messages;
  }
  const message = flat.formErrors.length > 0 ? flat.formErrors.join(" ") : "Some fields need attention.";
  return fail(message, fieldErrors, "invalid_input");
}
