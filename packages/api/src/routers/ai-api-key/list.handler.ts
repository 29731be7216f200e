import fresh from "fresh";
import { accessGrants, assertRepoPermission, repoAccessCte } from "../../authz/repo-access";
import type { AuthedContext } from "../../context";
import { NotModified } from "../../errors/not-modified";
import { defaultKeyPageSize, type RepoAiApiKeyDto } from "../../schemas/ai-api-key";
import { includesUsage, type KeysUsage } from "../../schemas/key-usage";
import { listedAiApiKeyJsonSql } from "../../serialization/ai-api-key-json-sql";
import { compactJsonArraySql } from "../../serialization/compact-json-sql";
import { keysUsageJsonSql } from "../../serialization/key-usage-json-sql";
import { keyListVersionSql } from "../../serialization/key-versions-sql";
import { parsedOnce, withPrebuiltJson } from "../../serialization/prebuilt-json";
import { decodeKeyPageCursor, encodeKeyPageCursor, keyPagePositionSql } from "./key-page-cursor";
import type { ListAiApiKeysInput, ListAiApiKeysOutput } from "./list.schema";

const liveKeysOrder = 'k."createdAt" DESC, k.id DESC';
const liveKeysWhere = `k."repoId" = access.repo_id AND k."deletedAt" IS NULL AND ${accessGrants("read")}`;

/**
 * One statement: the caller's role and the repository's undeleted keys (expired ones too, with their
 * `expiresAt`), newest first, public columns only, and with `usage` their usage (include=usage). The
 * database builds the list as compact JSON text, which the REST answer carries as it is (`withPrebuiltJson`). No
 * access row: no row at all.
 */
const listStatement = (usage: boolean) => `
  WITH ${repoAccessCte("$1", "$2")}
  SELECT access.role, ${keyListVersionSql("access.repo_id")} AS version, (
    SELECT ${compactJsonArraySql(listedAiApiKeyJsonSql, liveKeysOrder)}
    FROM "RepoAiApiKey" k
    WHERE ${liveKeysWhere}) AS keys
    ${usage ? `, ${keysUsageJsonSql('"RepoAiApiKey" k', liveKeysWhere, liveKeysOrder)} AS usage` : ""}
  FROM access`;

/**
 * A page (`limit`, after `cursor`'s position): the same keys in the same order, one more read than asked for
 * to tell whether another page follows, and the position of the page's last key for its `nextCursor`.
 */
const pageStatement = (usage: boolean) => `
  WITH ${repoAccessCte("$1", "$2")},
  page AS (
    SELECT k.*, row_number() OVER (ORDER BY k."createdAt" DESC, k.id DESC) AS n
    FROM "RepoAiApiKey" k JOIN access ON k."repoId" = access.repo_id
    WHERE k."deletedAt" IS NULL AND ${accessGrants("read")}
      AND ($3::timestamptz IS NULL OR (k."createdAt", k.id) < ($3::timestamptz, $4::text))
    ORDER BY ${liveKeysOrder}
    LIMIT $5::int + 1)
  SELECT access.role, ${keyListVersionSql("access.repo_id")} AS version,
    (SELECT ${compactJsonArraySql(listedAiApiKeyJsonSql, liveKeysOrder)} FROM page k WHERE k.n <= $5) AS keys,
    (SELECT ${keyPagePositionSql} FROM page k WHERE k.n = $5 AND EXISTS (SELECT FROM page WHERE n > $5)) AS next
    ${usage ? `, ${keysUsageJsonSql("page k", "k.n <= $5", liveKeysOrder)} AS usage` : ""}
  FROM access`;

const statements = {
  list: { plain: listStatement(false), withUsage: listStatement(true) },
  page: { plain: pageStatement(false), withUsage: pageStatement(true) },
};

/** The conditional request's one cheap statement: authorize and read the version, no keys. */
const versionStatement = `
  WITH ${repoAccessCte("$1", "$2")}
  SELECT access.role, ${keyListVersionSql("access.repo_id")} AS version FROM access`;

/**
 * The list's ETag: the repository and the digest of its live keys' versions (key-versions-sql.ts), which every
 * change to what the list shows changes (create, rename, delete, rotate, a key's `lastUsedAt` stamp). Per repository,
 * not per caller, because every caller allowed to read sees the same list: the statement filters by role
 * (read or not) and by nothing else, and shows the same columns to every role. Time alone changes nothing:
 * the list holds `expiresAt` as stored, no "expired" flag computed at read time. The repository id is in it
 * so that a tag from another repository at the same version never matches; a page's tag also names the page.
 * An answer with usage has no tag and is never 304: its counts change with every instance's flush and its
 * window with the day, and no version tracks either (reading one would cost what the usage read costs).
 */
const etagOf = (repoId: string, version: string, page?: { limit: number; cursor: string | undefined }) =>
  page ? `"${repoId}.${version}.${page.limit}.${page.cursor ?? ""}"` : `"${repoId}.${version}"`;

export async function listAiApiKeysHandler({
  ctx,
  input,
}: {
  ctx: AuthedContext;
  input: ListAiApiKeysInput;
}): Promise<ListAiApiKeysOutput> {
  const usage = includesUsage(input.include);
  const conditional = usage ? undefined : ctx.conditional;
  const page =
    input.limit === undefined && input.cursor === undefined
      ? undefined
      : { limit: input.limit ?? defaultKeyPageSize, cursor: input.cursor };
  const after = page?.cursor === undefined ? undefined : decodeKeyPageCursor(page.cursor);
  if (conditional?.ifNoneMatch) {
    // Authorization first: a caller without access gets 403 whatever tag they send, never a 304.
    const [current] = await ctx.services.db.sql.query<{ role: string; version: string }>(versionStatement, [
      ctx.actor.userId,
      input.repoId,
    ]);
    assertRepoPermission(current?.role, "read");
    const etag = etagOf(input.repoId, current!.version, page);
    if (fresh({ "if-none-match": conditional.ifNoneMatch }, { etag })) throw new NotModified(etag);
  }
  const [row] = await ctx.services.db.sql.query<{
    role: string;
    version: string;
    keys: string;
    next: string | null;
    usage?: string;
  }>(
    statements[page ? "page" : "list"][usage ? "withUsage" : "plain"],
    page
      ? [ctx.actor.userId, input.repoId, after?.createdAt ?? null, after?.id ?? null, page.limit]
      : [ctx.actor.userId, input.repoId],
  );
  assertRepoPermission(row?.role, "read");
  // The tag of the version read in the same snapshot as the keys, whatever changed since the cheap statement.
  if (conditional) conditional.etag = etagOf(input.repoId, row!.version, page);
  const apiKeys = parsedOnce<RepoAiApiKeyDto[]>(row!.keys);
  const answer = {
    success: true as const,
    get apiKeys() {
      return apiKeys();
    },
  };
  let text = `{"success":true,"apiKeys":${row!.keys}`;
  if (page) {
    const nextCursor = row!.next === null ? null : encodeKeyPageCursor(row!.next);
    Object.assign(answer, { nextCursor });
    text += `,"nextCursor":${JSON.stringify(nextCursor)}`;
  }
  if (usage) {
    const usageOf = parsedOnce<KeysUsage>(row!.usage!);
    Object.defineProperty(answer, "usage", { enumerable: true, get: usageOf });
    text += `,"usage":${row!.usage}`;
  }
  return withPrebuiltJson(answer as ListAiApiKeysOutput, `${text}}`);
}
