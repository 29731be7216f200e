import { generateSecret, sealSecret, sha256 } from "@repokeys/crypto";
import { recordAiApiKeyEventCte } from "../../audit/system-event";
import { assertRepoPermission, repoAccessCte } from "../../authz/repo-access";
import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import type { CreateAiApiKeyInput } from "./create.schema";
import { keySlotCte } from "./key-cap";

/**
 * One statement: authorize, count the key on its repository while below the cap (`slot`), store the key (secret
 * sealed and hashed), record the event. A caller who may write but finds the repository full stores nothing.
 */
const createStatement = `
  WITH ${repoAccessCte("$1", "$2")},
  ${keySlotCte("$11")},
  created AS (
    INSERT INTO "RepoAiApiKey" ("repoId", name, "aiType", key, "secretCiphertext", "masterKeyVersion", "secretHash", "createdById", "expiresAt")
    SELECT slot.id, $3, $4::"AiType", $5, $6, $7, $8, $1, $10::timestamptz
    FROM slot
    RETURNING id, name, "aiType", key, "expiresAt"),
  ${recordAiApiKeyEventCte({
    event: "created",
    source: "created",
    before: "NULL",
    after: `jsonb_build_object('name', created.name, 'aiType', created."aiType", 'key', created.key, 'expiresAt', created."expiresAt")`,
    viaParam: "$9",
    maxQueuedParam: "$12",
  })}
  SELECT (SELECT role FROM access) AS role, (SELECT id FROM created) AS id`;

export async function createAiApiKeyHandler({ ctx, input }: { ctx: AuthedContext; input: CreateAiApiKeyInput }) {
  const key = ctx.services.credentials.mint("publicKey");
  const secret = generateSecret();
  const sealed = sealSecret(ctx.services.keyring, secret, key);
  const [result] = await ctx.services.db.sql.query<{ role: string | null; id: string | null }>(createStatement, [
    ctx.actor.userId,
    input.repoId,
    input.name,
    input.aiType,
    key,
    sealed.ciphertext,
    sealed.masterKeyVersion,
    sha256(secret),
    ctx.channel,
    input.expiresAt ?? null,
    ctx.services.maxKeysPerRepo,
    ctx.services.webhooks.settings.maxQueuedPerWorkspace,
  ]);
  assertRepoPermission(result?.role, "write");
  if (!result!.id) throw domainErrors.tooManyKeys(ctx.services.maxKeysPerRepo);
  return {
    success: true as const,
    id: result!.id!,
    key,
    secret,
    message: "AI API key created. Copy the secret now: it is shown only once.",
  };
}
