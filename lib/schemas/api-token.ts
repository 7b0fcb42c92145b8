import { z } from "zod";

import { parseExpiresIn } from "@/lib/api/api-token";

import { uuidSchema } from "./fields";

/** A token's name: what audit rows show after `token:`, so short and plain. */
export const apiTokenNameSchema = z
  .string({ error: "Name the token (e.g. ci)." })
  .trim()
  .min(1, { error: "Name the token (e.g. ci)." })
  .max(64, { error: "Keep the name to 64 characters." })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: "Use letters, digits, _ . - (starting with a letter or digit)." });

/** A lifetime such as 90d, 12h or 2w; blank means the token never expires. */
export const expiresInSchema = z
  .string()
  .trim()
  .optional()
  .transform((value, context) => {
    if (!value) return null;
    const ms = parseExpiresIn(value);
    if (ms === null) {
      context.addIssue({
        code: "custom",
        message: "Give a lifetime such as 90d, 12h or 2w (one hour to ten years), or leave it blank.",
      });
      return z.NEVER;
    }
    return ms;
  });

/** Settings → API tokens: create. */
export const createApiTokenSchema = z.object({
  name: apiTokenNameSchema,
  role: z.enum(["viewer", "operator"], { error: "Choose viewer or operator." }),
  expiresIn: expiresInSchema,
});

/** Settings → API tokens: revoke. */
export const revokeApiTokenSchema = z.object({ tokenId: uuidSchema });
