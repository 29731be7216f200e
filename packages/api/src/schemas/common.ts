import { z } from "zod";

/** Ids are server-generated; anything else is rejected before it reaches SQL. */
export const entityId = (label: string) =>
  z
    .string({ error: `${label} must be a string.` })
    .min(1, `${label} must not be empty.`)
    .max(128, `${label} is too long to be an id.`)
    .regex(/^[A-Za-z0-9_-]+$/, `${label} is not a valid id.`);

/**
 * Characters no stored string may hold: NUL and the other C0/C1 controls (PostgreSQL cannot store NUL),
 * line and paragraph separators, and every invisible or direction-changing format character (`\p{Cf}`:
 * zero-width spaces and joiners U+200B–U+200F, bidirectional embeddings and overrides U+202A–U+202E and
 * isolates U+2066–U+2069, U+2060–U+2064, U+FEFF, U+061C, the soft hyphen U+00AD, tag characters…), plus
 * the blank letters that render as nothing (combining grapheme joiner, Hangul fillers, Khmer inherent
 * vowels, Mongolian variation selectors). They make two different names look the same, or text display
 * in another order than it is stored.
 */
export const hiddenCharacter =
  /[\p{Cc}\p{Cf}\u2028\u2029]|\u034F|\u115F|\u1160|\u17B4|\u17B5|\u180B|\u180C|\u180D|\u180E|\u180F|\u3164|\uFFA0/u;

/** Whether a string can be stored and shown as it reads: valid Unicode, none of the hidden characters above. */
export const isStorableText = (value: string) => value.isWellFormed() && !hiddenCharacter.test(value);

/**
 * The one rule for every string input that reaches the database, whatever else bounds it: the hostile-input
 * tests check every string field of every procedure against it.
 */
export const storableText = (label: string) =>
  z
    .string({ error: `${label} must be a string.` })
    .refine(isStorableText, `${label} must be valid Unicode text without control characters or invisible characters.`);

/**
 * Text from elsewhere that must be stored as it can be (an identity provider's display name): the hidden
 * characters above dropped, ill-formed UTF-16 repaired, trimmed and cut to `maxLength` (counted as `displayText`
 * counts, in UTF-16 units, never splitting a surrogate pair), so it passes `displayText` with the same bound;
 * undefined when nothing is left.
 */
export function cleanedDisplayText(value: string, maxLength: number): string | undefined {
  const visible = value.toWellFormed().replace(new RegExp(hiddenCharacter.source, "gu"), "").trim();
  let cut = "";
  for (const codePoint of visible) {
    if (cut.length + codePoint.length > maxLength) break;
    cut += codePoint;
  }
  cut = cut.trim();
  return cut === "" ? undefined : cut;
}

/** Free text a person typed: trimmed, bounded, and storable (above). */
export const displayText = (label: string, maxLength: number) =>
  storableText(label)
    .trim()
    .min(1, `${label} must not be empty or only spaces.`)
    .max(maxLength, `${label} must be at most ${maxLength} characters.`);

/** People's display names, wherever they come from. */
export const userNameMaxLength = 100;

export const successMessage = z.object({
  success: z.literal(true),
  message: z.string(),
});
