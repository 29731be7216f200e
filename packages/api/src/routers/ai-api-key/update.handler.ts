import { recordAiApiKeyEventCte } from "../../audit/system-event";
import { accessGrants, assertRepoPermission, repoAccessCte } from "../../authz/repo-access";
import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import { nextKeyVersionSql } from "../../serialization/key-versions-sql";
import type { UpdateAiApiKeyInput } from "./update.schema";

/**
 * One statement: authorize, lock the live key, rename it, record the event. `FOR UPDATE` makes concurrent
 * renames of one key queue, and each reads the name the previous one committed, so every event's `before`
 * is what was stored when it ran. A key deleted meanwhile no longer matches `deletedAt IS NULL`: 404,
 * never a resurrection. A rename to the current name (or `{}`) changes nothing and records nothing.
 */
const renameStatement = `
  WITH ${repoAccessCte("$1", "$2")},
  target AS (
    SELECT k.id, k.name, k.key
    FROM "RepoAiApiKey" k JOIN access ON k."repoId" = access.repo_id
    WHERE k.id = $3 AND k."deletedAt" IS NULL AND ${accessGrants("write")}
    FOR UPDATE OF k),
  renamed AS (
    UPDATE "RepoAiApiKey" k SET name = $4, "updatedAt" = now(), version = ${nextKeyVersionSql}
    FROM target
    WHERE k.id = target.id AND $4::text IS NOT NULL AND target.name IS DISTINCT FROM $4::text
    RETURNING k.id, target.name AS before, k.name AS after),
  ${recordAiApiKeyEventCte({
    event: "updated",
    source: "renamed",
    before: "jsonb_build_object('name', renamed.before)",
    after: "jsonb_build_object('name', renamed.after)",
    viaParam: "$5",
  })}
  SELECT (SELECT role FROM access) AS role, (SELECT key FROM target) AS key,
         EXISTS (SELECT 1 FROM renamed) AS renamed`;

export async function updateAiApiKeyHandler({ ctx, input }: { ctx: AuthedContext; input: UpdateAiApiKeyInput }) {
  const [result] = await ctx.services.db.sql.query<{ role: string | null; key: string | null; renamed: boolean }>(
    renameStatement,
    [ctx.actor.userId, input.repoId, input.apikeyId, input.name ?? null, ctx.channel],
  );
  assertRepoPermission(result?.role, "write");
  if (!result?.key) throw domainErrors.apiKeyNotFound();
  // Verification answers with the name: this instance reads the new one at once, others within KEY_CACHE_TTL_MS.
  if (result.renamed) ctx.services.keyVerifier.forget(result.key);
  return { success: true as const, message: "AI API key updated successfully" };
}
