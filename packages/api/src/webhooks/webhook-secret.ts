import { randomBytes } from "node:crypto";
import { type MasterKeyring, openSecret, sealSecret } from "@repokeys/crypto";

/** How long a rotated-out secret keeps signing deliveries, next to the new one. */
export const previousSecretGraceSeconds = 86_400;

/** A new signing secret: `whsec_` and 32 random bytes, base64url. Shown once; stored only sealed. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/** Sealed under the master key with the endpoint's id as associated data: a copy onto another row does not open. */
export function sealWebhookSecret(keyring: MasterKeyring, secret: string, endpointId: string) {
  return sealSecret(keyring, secret, `webhook:${endpointId}`);
}

export function openWebhookSecret(
  keyring: MasterKeyring,
  row: { secretCiphertext: Uint8Array; masterKeyVersion: number },
  endpointId: string,
): string {
  return openSecret(
    keyring,
    { masterKeyVersion: row.masterKeyVersion, ciphertext: Buffer.from(row.secretCiphertext) },
    `webhook:${endpointId}`,
  );
}
