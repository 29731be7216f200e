import { announcedCte } from "@repokeys/auth";
import { recordAiApiKeyEventCte } from "../../audit/system-event";
import { accessGrants, assertRepoPermission, repoAccessCte } from "../../authz/repo-access";
import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import type { DeleteAiApiKeyInput } from "./delete.schema";
import { keySlotReleasedCte } from "./key-cap";

/**
 * One statement: authorize, soft-delete the live key, count it off its repository's live keys, record the event,
 * announce it to the other instances' caches at commit. A second delete finds nothing: 404.
 */
const deleteStatement = `
  WITH ${repoAccessCte("$1", "$2")},
  deleted AS (
    UPDATE "RepoAiApiKey" k SET "deletedAt" = now(), "updatedAt" = now()
    FROM access
    WHERE k.id = $3 AND k."repoId" = access.repo_id AND k."deletedAt" IS NULL AND ${accessGrants("write")}
    RETURNING k.id, k.name, k.key, k."aiType", k."repoId"),
  ${keySlotReleasedCte("deleted")},
  ${recordAiApiKeyEventCte({
    event: "deleted",
    source: "deleted",
    before: `jsonb_build_object('name', deleted.name, 'aiType', deleted."aiType", 'key', deleted.key)`,
    after: "NULL",
    viaParam: "$4",
    maxQueuedParam: "$5",
  })},
  ${announcedCte("key", "deleted", "deleted.key")}
  SELECT (SELECT role FROM access) AS role, (SELECT key FROM deleted) AS key, (SELECT announced FROM announced)`;

export async function deleteAiApiKeyHandler({ ctx, input }: { ctx: AuthedContext; input: DeleteAiApiKeyInput }) {
  const [result] = await ctx.services.db.sql.query<{ role: string | null; key: string | null }>(deleteStatement, [
    ctx.actor.userId,
    input.repoId,
    input.apikeyId,
    ctx.channel,
    ctx.services.webhooks.settings.maxQueuedPerWorkspace,
  ]);
  assertRepoPermission(result?.role, "write");
  if (!result?.key) throw domainErrors.apiKeyNotFound();
  // Stops verifying on this instance now; on the others when the announcement arrives (or KEY_CACHE_TTL_MS).
  ctx.services.keyVerifier.forget(result.key);
  return { success: true as const, message: "AI API key deleted successfully" };
}
