import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { MasterKeyring } from "./master-keyring";

const ivLength = 12;
const tagLength = 16;

export interface SealedSecret {
  masterKeyVersion: number;
  /** iv | auth tag | ciphertext */
  ciphertext: Buffer;
}

export class SecretDecryptionError extends Error {
  override name = "SecretDecryptionError";
}

/**
 * AES-256-GCM under the keyring's current version. `context` (the key's public id) is bound as
 * associated data, so a ciphertext copied onto another row does not decrypt.
 */
export function sealSecret(ring: MasterKeyring, secret: string, context: string): SealedSecret {
  const version = ring.currentVersion;
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv("aes-256-gcm", ring.key(version)!, iv, { authTagLength: tagLength });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return { masterKeyVersion: version, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]) };
}

export function openSecret(ring: MasterKeyring, sealed: SealedSecret, context: string): string {
  const key = ring.key(sealed.masterKeyVersion);
  if (!key) {
    throw new SecretDecryptionError(
      `This secret is encrypted under master key version ${sealed.masterKeyVersion}, which MASTER_KEYS does not hold ` +
        `(it holds ${ring.versions.join(", ")}). Add that version back until rotation has re-encrypted every secret.`,
    );
  }
  if (sealed.ciphertext.length < ivLength + tagLength)
    throw new SecretDecryptionError("The stored secret is truncated.");
  const iv = sealed.ciphertext.subarray(0, ivLength);
  const tag = sealed.ciphertext.subarray(ivLength, ivLength + tagLength);
  const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: tagLength });
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([
      decipher.update(sealed.ciphertext.subarray(ivLength + tagLength)),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    throw new SecretDecryptionError(
      `The stored secret failed authentication under master key version ${sealed.masterKeyVersion}: ` +
        "it was altered, belongs to another key, or that version's key material is wrong.",
    );
  }
}
