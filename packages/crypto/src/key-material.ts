import { randomBytes } from "node:crypto";

/** Prefixes tell at a glance what a string is, and let secret scanners recognise a leaked one. */
export const keyPrefixes = {
  publicKey: "rk_",
  secret: "rks_",
  apiToken: "rkt_",
  gatewayToken: "rkg_",
} as const;

/** The public half of an AI API key: unique, URL-safe, safe to show in lists. 144 random bits. */
export function generatePublicKey(): string {
  return keyPrefixes.publicKey + randomBytes(18).toString("base64url");
}

/** The secret half, shown once: 256 random bits. */
export function generateSecret(): string {
  return keyPrefixes.secret + randomBytes(32).toString("base64url");
}

function generateBearerToken(prefix: string): { token: string; prefix: string } {
  const token = prefix + randomBytes(32).toString("base64url");
  // enough to recognise a token in a list, far too little to guess the rest
  return { token, prefix: token.slice(0, prefix.length + 6) };
}

/** A personal bearer token for the REST API, shown once: 256 random bits. */
export function generateApiToken(): { token: string; prefix: string } {
  return generateBearerToken(keyPrefixes.apiToken);
}

/** A gateway's bearer token, which can only verify keys; shown once: 256 random bits. */
export function generateGatewayToken(): { token: string; prefix: string } {
  return generateBearerToken(keyPrefixes.gatewayToken);
}
