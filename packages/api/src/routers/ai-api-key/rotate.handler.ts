import { announcedCte } from "@repokeys/auth";
import { generateSecret, sealSecret, sha256 } from "@repokeys/crypto";
import { recordAiApiKeyEventCte } from "../../audit/system-event";
import { accessGrants, assertRepoPermission, repoAccessCte } from "../../authz/repo-access";
import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import { nextKeyVersionSql } from "../../serialization/key-versions-sql";
import { keySlotCte } from "./key-cap";
import type { RotateAiApiKeyInput } from "./rotate.schema";

/**
 * One statement: authorize, lock the live key, create its successor (same name, AI type and expiry unless a new
 * expiry is given, a new key and secret), end the old key's life after the grace period, point it at its
 * successor (`replacedById`), record one `rotated` event with both ids and both expiries, and announce the old
 * key to the other instances' caches.
 * A grace period never lengthens a key's life: an earlier expiry stays. An expired key cannot be rotated
 * (`expired`), nor one already rotated (`replaced`: its successor is the key to rotate; it can still be deleted
 * to end its grace early); a deleted one is not found. The lock makes two rotations of one key queue: the second
 * sees the first's successor and is refused, so a key never has two successors. The successor is a live key
 * like any other: it takes a slot under the repository's cap (`slot`), and a full repository rotates nothing.
 */
const rotateStatement = `
  WITH ${repoAccessCte("$1", "$2")},
  target AS (
    SELECT k.id, k.name, k."aiType", k."expiresAt", k."expiresAt" IS NOT NULL AND k."expiresAt" <= now() AS expired,
           k."replacedById" IS NOT NULL AS replaced
    FROM "RepoAiApiKey" k JOIN access ON k."repoId" = access.repo_id
    WHERE k.id = $3 AND k."deletedAt" IS NULL AND ${accessGrants("write")}
    FOR UPDATE OF k),
  ${keySlotCte("$11", "EXISTS (SELECT 1 FROM target WHERE NOT target.expired AND NOT target.replaced)")},
  created AS (
    INSERT INTO "RepoAiApiKey" ("repoId", name, "aiType", key, "secretCiphertext", "masterKeyVersion", "secretHash", "createdById", "expiresAt")
    SELECT slot.id, target.name, target."aiType", $4, $5, $6, $7, $1, COALESCE($10::timestamptz, target."expiresAt")
    FROM target, slot
    RETURNING id, key, "expiresAt"),
  rotated AS (
    UPDATE "RepoAiApiKey" k
    SET "expiresAt" = LEAST(k."expiresAt", now() + make_interval(secs => $8::int)), "replacedById" = created.id,
        "updatedAt" = now(), version = ${nextKeyVersionSql}
    FROM target, created
    WHERE k.id = target.id
    RETURNING k.id, k.key, k.name, target."expiresAt" AS before_expires_at, k."expiresAt", created.id AS new_id, created.key AS new_key,
              created."expiresAt" AS new_expires_at),
  ${recordAiApiKeyEventCte({
    event: "rotated",
    source: "rotated",
    before: `jsonb_build_object('name', rotated.name, 'expiresAt', rotated.before_expires_at)`,
    after: `jsonb_build_object('name', rotated.name, 'expiresAt', rotated."expiresAt", 'newApikeyId', rotated.new_id, 'newKey', rotated.new_key, 'newExpiresAt', rotated.new_expires_at, 'graceSeconds', $8::int)`,
    viaParam: "$9",
    maxQueuedParam: "$12",
  })},
  ${announcedCte("key", "rotated", "rotated.key")}
  SELECT (SELECT announced FROM announced), (SELECT role FROM access) AS role, (SELECT expired FROM target) AS expired,
         (SELECT replaced FROM target) AS replaced,
         (SELECT new_id FROM rotated) AS "newId", (SELECT key FROM rotated) AS "oldKey",
         (SELECT "expiresAt" FROM rotated) AS "oldExpiresAt", (SELECT new_expires_at FROM rotated) AS "newExpiresAt"`;

export async function rotateAiApiKeyHandler({ ctx, input }: { ctx: AuthedContext; input: RotateAiApiKeyInput }) {
  const key = ctx.services.credentials.mint("publicKey");
  const secret = generateSecret();
  const sealed = sealSecret(ctx.services.keyring, secret, key);
  const [result] = await ctx.services.db.sql.query<{
    role: string | null;
    expired: boolean | null;
    replaced: boolean | null;
    newId: string | null;
    oldKey: string | null;
    oldExpiresAt: Date | null;
    newExpiresAt: Date | null;
  }>(rotateStatement, [
    ctx.actor.userId,
    input.repoId,
    input.apikeyId,
    key,
    sealed.ciphertext,
    sealed.masterKeyVersion,
    sha256(secret),
    input.graceSeconds,
    ctx.channel,
    input.expiresAt ?? null,
    ctx.services.maxKeysPerRepo,
    ctx.services.webhooks.settings.maxQueuedPerWorkspace,
  ]);
  assertRepoPermission(result?.role, "write");
  if (result?.expired === null || result?.expired === undefined) throw domainErrors.apiKeyNotFound();
  if (result.expired) throw domainErrors.apiKeyExpired();
  if (result.replaced) throw domainErrors.apiKeyAlreadyRotated();
  if (!result.newId) throw domainErrors.tooManyKeys(ctx.services.maxKeysPerRepo);
  // This instance stops trusting its cached row of the old key now; others when the announcement arrives.
  ctx.services.keyVerifier.forget(result.oldKey!);
  return {
    success: true as const,
    id: result.newId!,
    key,
    secret,
    previousId: input.apikeyId,
    previousExpiresAt: new Date(result.oldExpiresAt!).toISOString(),
    expiresAt: result.newExpiresAt === null ? null : new Date(result.newExpiresAt).toISOString(),
    message:
      input.graceSeconds === 0
        ? "AI API key rotated; the old key stopped working now. Copy the new secret now: it is shown only once."
        : `AI API key rotated; the old key keeps working for ${input.graceSeconds} seconds. Copy the new secret now: it is shown only once.`,
  };
}
