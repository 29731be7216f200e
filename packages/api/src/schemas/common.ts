import { z } from "zod";

/** Ids are server-generated; anything else is rejected before it reaches SQL. */
export const entityId = (label: string) =>
  z
    .string({ error: `${label} must be a string.` })
    .min(1, `${label} must not be empty.`)
    .max(128, `${label} is too long to be an id.`)
    .regex(/^[A-Za-z0-9_-]+$/, `${label} is not a valid id.`);

/** Free text a person typed: trimmed, bounded, printable, valid Unicode (PostgreSQL cannot store NUL or lone surrogates). */
export const displayText = (label: string, maxLength: number) =>
  z
    .string({ error: `${label} must be a string.` })
    .trim()
    .min(1, `${label} must not be empty or only spaces.`)
    .max(maxLength, `${label} must be at most ${maxLength} characters.`)
    // C0/C1 controls, line/paragraph separators and bidirectional overrides (which make text display misleadingly)
    .regex(/^[^\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]*$/u, `${label} must not contain control characters.`)
    .refine((value) => value.isWellFormed(), `${label} must be valid Unicode text.`);

export const successMessage = z.object({
  success: z.literal(true),
  message: z.string(),
});
