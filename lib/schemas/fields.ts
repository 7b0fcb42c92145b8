import { z } from "zod";

import { DIGEST_PATTERN } from "@/lib/domain/image-ref";

/**
 * Control characters (C0, DEL, C1). PostgreSQL refuses NUL in text (the
 * request then failed with a stack trace), and none of them belong in a name,
 * a search or an audit entry, where they can hide or fake text (#13 item 7).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point (see above).
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
/** The same, except tab and line breaks, which a multi-line reason may hold. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point (see above).
const CONTROL_CHARACTERS_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** A string without control characters; every free-text field of a form or URL is one. */
export function plainText(options: { error?: string; allowLineBreaks?: boolean } = {}) {
  const pattern = options.allowLineBreaks ? CONTROL_CHARACTERS_BUT_LINES : CONTROL_CHARACTERS;
  return z
    .string(options.error ? { error: options.error } : undefined)
    .refine((value) => !pattern.test(value), { error: "Remove the control characters from this field." });
}

/** A template (runtime) name as it appears in pins and workspaces. */
export const templateNameSchema = plainText({ error: "Choose a template." })
  .trim()
  .min(1, { error: "Choose a template." })
  .max(128, { error: "Template names are at most 128 characters." });

/** A pin digest. */
export const digestSchema = z
  .string({ error: "A digest is required." })
  .trim()
  .regex(DIGEST_PATTERN, { error: "A digest is sha256: followed by 64 lowercase hex characters." });

/** Why the operator did it; required for every pin change and stored in the audit log. */
export const reasonSchema = plainText({ error: "Give a reason; it goes into the audit log.", allowLineBreaks: true })
  .trim()
  .min(1, { error: "Give a reason; it goes into the audit log." })
  .max(500, { error: "Keep the reason under 500 characters." });

/** An optional reason: blank becomes undefined. */
export const optionalReasonSchema = plainText({ allowLineBreaks: true })
  .trim()
  .max(500, { error: "Keep the reason under 500 characters." })
  .optional()
  .transform((value) => (value ? value : undefined));

/** A template filter or scope: blank means all templates (undefined), anything else must be a template name. */
export const optionalTemplateSchema = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined))
  .pipe(templateNameSchema.optional());

/** A database id (UUID). */
export const uuidSchema = z.uuid({ error: "That is not a valid id." });

/**
 * A searchParams field: optional, and an invalid value is dropped rather than
 * thrown, because a hand-edited URL must never crash a page.
 */
export function optionalParam<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}
