import { z } from "zod";

import { DIGEST_PATTERN, TAG_PATTERN } from "@/lib/domain/image-ref";

import { digestSchema, reasonSchema, templateNameSchema, optionalReasonSchema } from "./fields";

/** The digest a form expected to replace; an empty field means "expected unpinned". */
const expectedDigestSchema = z
  .string()
  .trim()
  .transform((value) => (value === "" ? null : value))
  .pipe(
    z.string().regex(DIGEST_PATTERN, { error: "The form carries a malformed digest; reload the page." }).nullable(),
  );

/** Promote: a digest or a tag to resolve through the registry, with optimistic concurrency. */
export const promotePinSchema = z.object({
  templateName: templateNameSchema,
  digestOrTag: z
    .string({ error: "Enter a digest or a tag." })
    .trim()
    .min(1, { error: "Enter a digest or a tag." })
    .refine((value) => DIGEST_PATTERN.test(value) || (!value.includes(":") && TAG_PATTERN.test(value)), {
      error: "Enter sha256: followed by 64 lowercase hex characters, or a tag such as v1.4.2.",
    }),
  expectedDigest: expectedDigestSchema,
  reason: reasonSchema,
  /** Filled only to promote a digest younger than the cool-down; audited. */
  coolDownOverrideReason: optionalReasonSchema,
});
export type PromotePin = z.infer<typeof promotePinSchema>;

/** Rollback to the previous digest, or unpin: both name the digest they expect to replace. */
export const pinChangeSchema = z.object({
  templateName: templateNameSchema,
  expectedDigest: digestSchema,
  reason: reasonSchema,
});
export type PinChangeInput = z.infer<typeof pinChangeSchema>;

/** Rollback input. */
export const rollbackPinSchema = pinChangeSchema;
export type RollbackPin = z.infer<typeof rollbackPinSchema>;

/** Unpin input. */
export const unpinTemplateSchema = pinChangeSchema;
export type UnpinTemplate = z.infer<typeof unpinTemplateSchema>;
