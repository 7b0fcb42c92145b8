import { z } from "zod";

import { MAX_PASSWORD_LENGTH } from "./password-policy";

/** The login form. Shape errors only: whether the account exists is never a field error. */
export const signInSchema = z.object({
  email: z
    .string({ error: "Enter your email address." })
    .trim()
    .min(1, { error: "Enter your email address." })
    .max(254, { error: "That is longer than any email address." })
    .pipe(z.email({ error: "Enter a valid email address, like you@example.com." })),
  password: z
    .string({ error: "Enter your password." })
    .min(1, { error: "Enter your password." })
    .max(MAX_PASSWORD_LENGTH, { error: `Passwords are at most ${MAX_PASSWORD_LENGTH} characters.` }),
  next: z.string().optional(),
});

export type SignInForm = z.infer<typeof signInSchema>;
