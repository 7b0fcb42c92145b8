import { z } from "zod";

import { DIGEST_PATTERN } from "@/lib/provisioner/image-ref";

/** A template (runtime) name as it appears in pins and workspaces. */
export const templateNameSchema = z
  .string({ error: "Choose a template." })
  .trim()
  .min(1, { error: "Choose a template." })
  .max(128, { error: "Template names are at most 128 characters." });

/** A pin digest. */
export const digestSchema = z
  .string({ error: "A digest is required." })
  .trim()
  .regex(DIGEST_PATTERN, { error: "A digest is sha256: followed by 64 lowercase hex characters." });

/** Why the operator did it; required for every pin change and stored in the audit log. */
export const reasonSchema = z
  .string({ error: "Give a reason; it goes into the audit log." })
  .trim()
  .min(1, { error: "Give a reason; it goes into the audit log." })
  .max(500, { error: "Keep the reason under 500 characters." });

/** An optional reason: blank becomes undefined. */
export const optionalReasonSchema = z
  .string()
  .trim()
  .max(500, { error: "Keep the reason under 500 characters." })
  .optional()
  .transform((value) => (value ? value : undefined));

/** A database id (UUID). */
export const uuidSchema = z.uuid({ error: "That is not a valid id." });

/**
 * A searchParams field: optional, and an invalid value is dropped rather than
 * thrown, because a hand-edited URL must never crash a page.
 */
export function optionalParam<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}
