/**
 * The one form an account's email is stored, looked up and rate-limited in: NFKC (fullwidth letters and other
 * compatibility forms become the letters they stand for), trimmed, lower-cased. Without NFKC, `toLowerCase`
 * alone folds some look-alikes (U+212A KELVIN SIGN becomes `k`) and not others, so two spellings of one address
 * could be two accounts or one depending on the letter.
 */
export function canonicalEmail(raw: string): string {
  return raw.normalize("NFKC").trim().toLowerCase();
}

/**
 * Whether an email an identity provider vouches for may name an account: only if NFKC leaves it as it is. One with
 * compatibility characters (`\u212Aevin@example.com`) is a different mailbox at the provider from the address it
 * folds into here, so signing it in to that account would hand the account to whoever owns the look-alike.
 */
export function isCanonicalExternalEmail(raw: string): boolean {
  const trimmed = raw.trim();
  return trimmed !== "" && trimmed.normalize("NFKC") === trimmed;
}
