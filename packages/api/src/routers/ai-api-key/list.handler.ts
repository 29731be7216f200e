import { accessGrants, assertRepoPermission, repoAccessCte } from "../../authz/repo-access";
import type { AuthedContext } from "../../context";
import type { RepoAiApiKeyDto } from "../../schemas/ai-api-key";
import type { ListAiApiKeysInput } from "./list.schema";

/** The same ISO 8601 form as `Date#toISOString` (timestamps are stored to the millisecond). */
const isoUtc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * One statement: the caller's role and the repository's undeleted keys (expired ones too, with their
 * `expiresAt`), newest first, public columns only. The
 * database builds the list as one JSON value: for a thousand keys that costs Node a third of the CPU of
 * decoding a thousand rows (bench/results.md). No access row: no row at all.
 */
const listStatement = `
  WITH ${repoAccessCte("$1", "$2")}
  SELECT access.role, COALESCE((
    SELECT json_agg(json_build_object(
             'id', k.id, 'name', k.name, 'repoId', k."repoId", 'key', k.key, 'aiType', k."aiType",
             'createdAt', ${isoUtc('k."createdAt"')}, 'deletedAt', NULL,
             'expiresAt', ${isoUtc('k."expiresAt"')}, 'lastUsedAt', ${isoUtc('k."lastUsedAt"')})
           ORDER BY k."createdAt" DESC, k.id DESC)
    FROM "RepoAiApiKey" k
    WHERE k."repoId" = access.repo_id AND k."deletedAt" IS NULL AND ${accessGrants("read")}), '[]') AS keys
  FROM access`;

export async function listAiApiKeysHandler({ ctx, input }: { ctx: AuthedContext; input: ListAiApiKeysInput }) {
  const [row] = await ctx.services.db.sql.query<{ role: string; keys: RepoAiApiKeyDto[] }>(listStatement, [
    ctx.actor.userId,
    input.repoId,
  ]);
  assertRepoPermission(row?.role, "read");
  return { success: true as const, apiKeys: row!.keys };
}
