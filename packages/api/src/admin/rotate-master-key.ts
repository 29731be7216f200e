import { openSecret, sealSecret } from "@repokeys/crypto";
import { type CheckKeyRotation, resealCredentialCheckKey } from "../credentials/credential-check-key";
import type { ApiServices } from "../services";

export interface RotationSummary {
  /** Every secret below this master key version is re-encrypted under it. */
  currentVersion: number;
  reencrypted: number;
  batches: number;
  /** Secrets that could not be decrypted (their version is missing from MASTER_KEYS, or they were altered): left as they are. */
  failed: { id: string; masterKeyVersion: number; reason: string }[];
  /**
   * The credential check key (the key of every credential's check part), sealed under the master key too:
   * `current`, `reencrypted`, or `failed` (then the old versions must stay: instances could not start).
   */
  credentialCheckKey: CheckKeyRotation;
  /** Secrets still under an older version when the run ended: the failed ones, and any an instance still running without the new key stored meanwhile. */
  remaining: number;
  /**
   * True when no secret is left under an older version and the credential check key is not either: the old
   * versions may now be removed from MASTER_KEYS.
   */
  complete: boolean;
}

/**
 * The tables whose rows hold a secret sealed under the master key, each with the associated data it is bound
 * to: a key's public `key`, a webhook endpoint's id (webhooks/webhook-secret.ts) for its secret and a
 * rotated-out one.
 */
const sealedTables = [
  { name: "RepoAiApiKey", ciphertext: "secretCiphertext", version: "masterKeyVersion", context: "key" },
  { name: "WebhookEndpoint", ciphertext: "secretCiphertext", version: "masterKeyVersion", context: "'webhook:' || id" },
  // a rotated-out signing secret, kept for its grace period (null otherwise: never below any version)
  {
    name: "WebhookEndpoint",
    ciphertext: "previousSecretCiphertext",
    version: "previousMasterKeyVersion",
    context: "'webhook:' || id",
  },
] as const;

/**
 * Re-encrypts every stored secret (of live and deleted keys alike, and webhook endpoints' signing secrets) that is under an older master key version
 * with the current one, while the app keeps serving: one short transaction per batch, whose rows are locked
 * so that a concurrent rename waits for the batch (and vice versa) and a concurrent rotation skips what this
 * one already did. Secrets never change, only their envelope; the public `key` stays the associated data.
 * Resumable: an interrupted run leaves committed batches done, and running again continues with the rest.
 * The credential check key is re-sealed the same way, once the secrets are done.
 */
export async function rotateMasterKey(
  services: Pick<ApiServices, "db" | "keyring">,
  { batchSize = 100 }: { batchSize?: number } = {},
): Promise<RotationSummary> {
  const { db, keyring } = services;
  const currentVersion = keyring.currentVersion;
  const summary: RotationSummary = {
    currentVersion,
    reencrypted: 0,
    batches: 0,
    failed: [],
    credentialCheckKey: { state: "current" },
    remaining: 0,
    complete: false,
  };
  for (const table of sealedTables) {
    await resealTable(services, table, batchSize, summary);
    const [left] = await db.sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM "${table.name}" WHERE "${table.version}" < $1`,
      [currentVersion],
    );
    summary.remaining += left?.count ?? 0;
  }
  summary.credentialCheckKey = await resealCredentialCheckKey(db, keyring);
  summary.complete = summary.remaining === 0 && summary.credentialCheckKey.state !== "failed";
  return summary;
}

/**
 * One pass over a table in id order, so that a secret that cannot be decrypted is reported once, not retried
 * forever: each batch re-sealed in a short transaction of its own, its rows locked.
 */
async function resealTable(
  { db, keyring }: Pick<ApiServices, "db" | "keyring">,
  table: (typeof sealedTables)[number],
  batchSize: number,
  summary: RotationSummary,
): Promise<void> {
  const currentVersion = keyring.currentVersion;
  let after = "";
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const batch = await tx.query<{
        id: string;
        context: string;
        secretCiphertext: Uint8Array;
        masterKeyVersion: number;
      }>(
        `SELECT id, ${table.context} AS context, "${table.ciphertext}" AS "secretCiphertext",
                "${table.version}" AS "masterKeyVersion"
         FROM "${table.name}"
         WHERE "${table.version}" < $1 AND id > $2
         ORDER BY id LIMIT $3
         FOR UPDATE`,
        [currentVersion, after, batchSize],
      );
      const ids: string[] = [];
      const ciphertexts: string[] = [];
      const failed: RotationSummary["failed"] = [];
      for (const row of batch) {
        try {
          const secret = openSecret(
            keyring,
            { masterKeyVersion: row.masterKeyVersion, ciphertext: Buffer.from(row.secretCiphertext) },
            row.context,
          );
          ids.push(row.id);
          ciphertexts.push(sealSecret(keyring, secret, row.context).ciphertext.toString("hex"));
        } catch (err) {
          failed.push({ id: row.id, masterKeyVersion: row.masterKeyVersion, reason: (err as Error).message });
        }
      }
      if (ids.length) {
        await tx.query(
          `UPDATE "${table.name}" k SET "${table.ciphertext}" = decode(v.ciphertext, 'hex'), "${table.version}" = $1
           FROM unnest($2::text[], $3::text[]) AS v(id, ciphertext)
           WHERE k.id = v.id`,
          [currentVersion, ids, ciphertexts],
        );
      }
      return { last: batch.at(-1)?.id, reencrypted: ids.length, failed };
    });
    if (done.last === undefined) return;
    summary.batches++;
    summary.reencrypted += done.reencrypted;
    summary.failed.push(...done.failed);
    after = done.last;
  }
}
