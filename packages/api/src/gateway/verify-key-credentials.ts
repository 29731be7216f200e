import { constantTimeEqual, sha256 } from "@repokeys/crypto";
import type { ApiServices } from "../services";

export interface VerifiedKey {
  apikeyId: string;
  repoId: string;
  aiType: string;
}

/**
 * For the AI gateway: is this key/secret pair a live key? The secret is compared by its SHA-256 in
 * constant time (the stored secret is never decrypted for this), and the key's last use is stamped.
 */
export async function verifyKeyCredentials(
  services: ApiServices,
  key: string,
  secret: string,
): Promise<VerifiedKey | null> {
  if (key.length > 64 || secret.length > 128) return null;
  const [row] = await services.db.sql.query<{ id: string; repoId: string; aiType: string; secretHash: Uint8Array }>(
    `UPDATE "RepoAiApiKey" SET "lastUsedAt" = now()
     WHERE key = $1 AND "deletedAt" IS NULL
     RETURNING id, "repoId", "aiType"::text AS "aiType", "secretHash"`,
    [key],
  );
  // Hash even when the key is unknown, so the answer takes as long either way.
  const presented = sha256(secret);
  const stored = row ? Buffer.from(row.secretHash) : Buffer.alloc(presented.length);
  if (!row || !constantTimeEqual(presented, stored)) return null;
  return { apikeyId: row.id, repoId: row.repoId, aiType: row.aiType };
}
