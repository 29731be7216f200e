import { randomBytes } from "node:crypto";

/** Prefixes tell at a glance what a string is, and let secret scanners recognise a leaked one. */
export const keyPrefixes = {
  publicKey: "rk_",
  secret: "rks_",
  apiToken: "rkt_",
  gatewayToken: "rkg_",
} as const;

/**
 * The secret half, shown once: 256 random bits. It carries no check part: it is only ever compared with the
 * stored hash of a key already found. Public keys and tokens are minted by CredentialCheck.
 */
export function generateSecret(): string {
  return keyPrefixes.secret + randomBytes(32).toString("base64url");
}

/** What a token list shows of a token: enough to recognise it, far too little to guess the rest. */
export function tokenDisplayPrefix(token: string): string {
  return token.slice(0, token.indexOf("_") + 7);
}
