import { generateSecret, sealSecret, sha256 } from "@repokeys/crypto";
import { recordAiApiKeyEventCte } from "../../audit/system-event";
import { accessGrants, assertRepoPermission, repoAccessCte } from "../../authz/repo-access";
import type { AuthedContext } from "../../context";
import type { CreateAiApiKeyInput } from "./create.schema";

/** One statement: authorize, store the key (secret sealed and hashed), record the event. */
const createStatement = `
  WITH ${repoAccessCte("$1", "$2")},
  created AS (
    INSERT INTO "RepoAiApiKey" ("repoId", name, "aiType", key, "secretCiphertext", "masterKeyVersion", "secretHash", "createdById", "expiresAt")
    SELECT access.repo_id, $3, $4::"AiType", $5, $6, $7, $8, $1, $10::timestamptz
    FROM access WHERE ${accessGrants("write")}
    RETURNING id, name, "aiType", key, "expiresAt"),
  ${recordAiApiKeyEventCte({
    event: "created",
    source: "created",
    before: "NULL",
    after: `jsonb_build_object('name', created.name, 'aiType', created."aiType", 'key', created.key, 'expiresAt', created."expiresAt")`,
    viaParam: "$9",
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
  ]);
  assertRepoPermission(result?.role, "write");
  return {
    success: true as const,
    id: result!.id!,
    key,
    secret,
    message: "AI API key created. Copy the secret now: it is shown only once.",
  };
}
