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
 * `$6` (a conditional rename's versions, null: none asked) is compared after the lock too, with the version
 * the previous rename committed: of two renames from the same stale copy, the second gets 412.
 */
const renameStatement = `
  WITH ${repoAccessCte("$1", "$2")},
  target AS (
    SELECT k.id, k.name, k.key, k.version,
           $6::text[] IS NULL OR k.version::text = ANY ($6::text[]) AS matched
    FROM "RepoAiApiKey" k JOIN access ON k."repoId" = access.repo_id
    WHERE k.id = $3 AND k."deletedAt" IS NULL AND ${accessGrants("write")}
    FOR UPDATE OF k),
  renamed AS (
    UPDATE "RepoAiApiKey" k SET name = $4, "updatedAt" = now(), version = ${nextKeyVersionSql}
    FROM target
    WHERE k.id = target.id AND target.matched AND $4::text IS NOT NULL AND target.name IS DISTINCT FROM $4::text
    RETURNING k.id, target.name AS before, k.name AS after, k.version),
  ${recordAiApiKeyEventCte({
    event: "updated",
    source: "renamed",
    before: "jsonb_build_object('name', renamed.before)",
    after: "jsonb_build_object('name', renamed.after)",
    viaParam: "$5",
    maxQueuedParam: "$7",
  })}
  SELECT (SELECT role FROM access) AS role, target.key, target.matched, target.name,
         COALESCE((SELECT version FROM renamed), target.version)::text AS version,
         EXISTS (SELECT 1 FROM renamed) AS renamed
  FROM (SELECT 1) one LEFT JOIN target ON true`;

/**
 * The versions an `If-Match` (or tRPC's `expectedVersion`) accepts; null: the rename is unconditional. Strong
 * comparison (RFC 9110): a weak tag never matches, nor does anything but a quoted version, so such a header
 * gets 412 rather than an unconditional rename; `*` asks only that the key exist.
 */
function acceptedVersions(ifMatch: string | undefined, expectedVersion: string | undefined): string[] | null {
  if (expectedVersion !== undefined) return [expectedVersion];
  if (ifMatch === undefined || ifMatch.trim() === "*") return null;
  return ifMatch
    .split(",")
    .map((tag) => /^\s*"(\d{1,20})"\s*$/.exec(tag)?.[1])
    .filter((version): version is string => version !== undefined)
    .slice(0, 16);
}

export async function updateAiApiKeyHandler({ ctx, input }: { ctx: AuthedContext; input: UpdateAiApiKeyInput }) {
  const accepted = acceptedVersions(ctx.conditional?.ifMatch, input.expectedVersion);
  const [result] = await ctx.services.db.sql.query<{
    role: string | null;
    key: string | null;
    matched: boolean | null;
    name: string | null;
    version: string | null;
    renamed: boolean;
  }>(renameStatement, [
    ctx.actor.userId,
    input.repoId,
    input.apikeyId,
    input.name ?? null,
    ctx.channel,
    accepted,
    ctx.services.webhooks.settings.maxQueuedPerWorkspace,
  ]);
  assertRepoPermission(result?.role, "write");
  if (!result?.key) throw domainErrors.apiKeyNotFound();
  if (!result.matched) throw domainErrors.staleKeyVersion({ name: result.name!, version: result.version! });
  // Verification answers with the name: this instance reads the new one at once, others within KEY_CACHE_TTL_MS.
  if (result.renamed) ctx.services.keyVerifier.forget(result.key);
  // Without a precondition the answer stays Flashback's exactly; with one it names the key's version now.
  if (accepted === null && !ctx.conditional?.ifMatch)
    return { success: true as const, message: "AI API key updated successfully" };
  if (ctx.conditional) ctx.conditional.etag = `"${result.version}"`;
  return { success: true as const, message: "AI API key updated successfully", version: result.version! };
}
