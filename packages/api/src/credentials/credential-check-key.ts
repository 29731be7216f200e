import { randomBytes } from "node:crypto";
import {
  CredentialCheck,
  credentialCheckKeyLength,
  type MasterKeyring,
  openSecret,
  type SealedSecret,
  sealSecret,
} from "@repokeys/crypto";
import type { Database, SqlRunner } from "@repokeys/db";

/** The associated data of the sealed key, so that no key secret's envelope can stand in for it. */
export const credentialCheckKeyContext = "credential-check-key";

/**
 * The server's credential check, from the one key every instance shares: made by whichever instance starts
 * first (a row that is already there wins, so instances starting at once agree), sealed under the master key.
 */
export async function loadCredentialCheck(sql: SqlRunner, keyring: MasterKeyring): Promise<CredentialCheck> {
  const made = sealSecret(
    keyring,
    randomBytes(credentialCheckKeyLength).toString("base64url"),
    credentialCheckKeyContext,
  );
  await sql.query(
    `INSERT INTO "CredentialCheckKey" (id, "keyCiphertext", "masterKeyVersion") VALUES (1, $1, $2)
     ON CONFLICT (id) DO NOTHING`,
    [made.ciphertext, made.masterKeyVersion],
  );
  // A statement of its own: it sees the row another instance inserted while ours waited on the conflict.
  const [row] = await sql.query<{ keyCiphertext: Uint8Array; masterKeyVersion: number }>(
    `SELECT "keyCiphertext", "masterKeyVersion" FROM "CredentialCheckKey" WHERE id = 1`,
  );
  if (!row) throw new Error("The credential check key could not be stored.");
  const sealed: SealedSecret = { masterKeyVersion: row.masterKeyVersion, ciphertext: Buffer.from(row.keyCiphertext) };
  let key: string;
  try {
    key = openSecret(keyring, sealed, credentialCheckKeyContext);
  } catch (err) {
    throw new Error(
      `The credential check key stored in the database cannot be opened with MASTER_KEYS: ${(err as Error).message} ` +
        "Start with the MASTER_KEYS this database was used with.",
    );
  }
  return new CredentialCheck(Buffer.from(key, "base64url"));
}

/** What `keys rotate` did to the credential check key. */
export type CheckKeyRotation =
  | { state: "current" | "reencrypted" }
  | { state: "failed"; masterKeyVersion: number; reason: string };

/**
 * Re-seals the credential check key under the current master key version if it is under an older one; the
 * key itself never changes (every credential minted carries its check part). The row is locked, so that runs
 * racing each other re-seal it once.
 */
export async function resealCredentialCheckKey(
  db: Pick<Database, "transaction">,
  keyring: MasterKeyring,
): Promise<CheckKeyRotation> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ keyCiphertext: Uint8Array; masterKeyVersion: number }>(
      `SELECT "keyCiphertext", "masterKeyVersion" FROM "CredentialCheckKey"
       WHERE id = 1 AND "masterKeyVersion" < $1 FOR UPDATE`,
      [keyring.currentVersion],
    );
    if (!row) return { state: "current" };
    const sealed = { masterKeyVersion: row.masterKeyVersion, ciphertext: Buffer.from(row.keyCiphertext) };
    let key: string;
    try {
      key = openSecret(keyring, sealed, credentialCheckKeyContext);
    } catch (err) {
      return { state: "failed", masterKeyVersion: row.masterKeyVersion, reason: (err as Error).message };
    }
    const resealed = sealSecret(keyring, key, credentialCheckKeyContext);
    await tx.query(`UPDATE "CredentialCheckKey" SET "keyCiphertext" = $1, "masterKeyVersion" = $2 WHERE id = 1`, [
      resealed.ciphertext,
      resealed.masterKeyVersion,
    ]);
    return { state: "reencrypted" };
  });
}
