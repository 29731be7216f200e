import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { keyPrefixes } from "./key-material";

/** The credentials that carry a check part: what a stranger presents to us, and so could make up. */
export type CheckedKind = "publicKey" | "apiToken" | "gatewayToken";

/**
 * What a presented credential can be told to be without the database: `checked` (ours: its check part is
 * right), `legacy` (the shape minted before check parts, which only the database can confirm) or `forged`
 * (nothing we ever minted or will mint looks like it).
 */
export type CredentialForm = "checked" | "legacy" | "forged";

/** Random bytes per kind: 144 bits for a public key (as before), 256 for tokens. */
const randomLength: Record<CheckedKind, number> = { publicKey: 18, apiToken: 32, gatewayToken: 32 };
/** 64 bits of HMAC: a forger guesses one in 2^64, and each guess costs them a request. */
const checkBytes = 8;
const checkChars = Math.ceil((checkBytes * 4) / 3);
/** The credential check key is this long (32 random bytes, like a master key). */
export const credentialCheckKeyLength = 32;

const base64urlLength = (bytes: number) => Math.ceil((bytes * 4) / 3);

/** How long a credential minted before check parts is: the prefix and the random part alone. */
export function legacyCredentialLength(kind: CheckedKind): number {
  return keyPrefixes[kind].length + base64urlLength(randomLength[kind]);
}

/**
 * Mints and checks credentials whose last characters are a truncated HMAC-SHA256, under the server's
 * credential check key, of everything before them. A made-up credential fails the check and is refused with
 * no database lookup. Keyed, not a CRC: this code is open, so an unkeyed check would be computed by any forger.
 */
export class CredentialCheck {
  constructor(private readonly key: Buffer) {
    if (key.length !== credentialCheckKeyLength) {
      throw new Error(`The credential check key must be ${credentialCheckKeyLength} bytes, not ${key.length}.`);
    }
  }

  /** A new credential of this kind, check part included. */
  mint(kind: CheckedKind): string {
    const body = keyPrefixes[kind] + randomBytes(randomLength[kind]).toString("base64url");
    return body + this.checkOf(body);
  }

  form(kind: CheckedKind, presented: string): CredentialForm {
    const prefix = keyPrefixes[kind];
    if (!presented.startsWith(prefix)) return "forged";
    const legacyLength = legacyCredentialLength(kind);
    if (presented.length === legacyLength) return "legacy";
    if (presented.length !== legacyLength + checkChars) return "forged";
    const body = presented.slice(0, legacyLength);
    const expected = Buffer.from(this.checkOf(body));
    const given = Buffer.from(presented.slice(legacyLength));
    return given.length === expected.length && timingSafeEqual(given, expected) ? "checked" : "forged";
  }

  private checkOf(body: string): string {
    return createHmac("sha256", this.key).update(body).digest().subarray(0, checkBytes).toString("base64url");
  }
}
