import { accessGrants, assertRepoPermission, repoAccessCte } from "../../authz/repo-access";
import type { AuthedContext } from "../../context";
import type { AiType } from "../../schemas/ai-api-key";
import type { ListAiApiKeysInput } from "./list.schema";

/**
 * One statement: the caller's role, and the repository's live keys newest first, naming the public columns
 * only. No access row: no rows at all. Access to a repository without keys: one row with the role and no key.
 */
const listStatement = `
  WITH ${repoAccessCte("$1", "$2")}
  SELECT access.role, k.id, k.name, k."repoId", k.key, k."aiType"::text AS "aiType", k."createdAt", k."deletedAt"
  FROM access
  LEFT JOIN "RepoAiApiKey" k ON k."repoId" = access.repo_id AND k."deletedAt" IS NULL AND ${accessGrants("read")}
  ORDER BY k."createdAt" DESC, k.id DESC`;

type Row = {
  role: string;
  id: string | null;
  name: string;
  repoId: string;
  key: string | null;
  aiType: AiType;
  createdAt: Date;
  deletedAt: Date | null;
};

export async function listAiApiKeysHandler({ ctx, input }: { ctx: AuthedContext; input: ListAiApiKeysInput }) {
  const rows = await ctx.services.db.sql.query<Row>(listStatement, [ctx.actor.userId, input.repoId]);
  assertRepoPermission(rows[0]?.role, "read");
  return {
    success: true as const,
    apiKeys: rows
      .filter((row) => row.id !== null)
      .map(({ role: _role, ...key }) => ({
        ...key,
        id: key.id!,
        createdAt: new Date(key.createdAt).toISOString(),
        deletedAt: key.deletedAt === null ? null : new Date(key.deletedAt).toISOString(),
      })),
  };
}
