import { TRPCError } from "@trpc/server";
import fresh from "fresh";
import { accessGrants, assertRepoPermission, repoAccessCte } from "../../authz/repo-access";
import type { AuthedContext } from "../../context";
import { NotModified } from "../../errors/not-modified";
import { defaultKeyPageSize, maxKeyPageSize, type RepoAiApiKeyDto } from "../../schemas/ai-api-key";
import { includesUsage, type KeysUsage } from "../../schemas/key-usage";
import { listedAiApiKeyJsonSql } from "../../serialization/ai-api-key-json-sql";
import { compactJsonArraySql } from "../../serialization/compact-json-sql";
import { keysUsageJsonSql } from "../../serialization/key-usage-json-sql";
import { keyListDigestSql, keyListVersionSql } from "../../serialization/key-versions-sql";
import { parsedOnce, withPrebuiltJson } from "../../serialization/prebuilt-json";
import { decodeKeyPageCursor, encodeKeyPageCursor, keyPagePositionSql } from "./key-page-cursor";
import type { ListAiApiKeysInput, ListAiApiKeysOutput } from "./list.schema";

const liveKeysOrder = 'k."createdAt" DESC, k.id DESC';
const liveKeysWhere = `k."repoId" = access.repo_id AND k."deletedAt" IS NULL AND ${accessGrants("read")}`;

/**
 * One statement: the caller's role and the repository's undeleted keys (expired ones too, with their
 * `expiresAt`), newest first, public columns only: Flashback's whole list. The database builds it as compact
 * JSON text, which the REST answer carries as it is (`withPrebuiltJson`). No access row: no row at all.
 */
const listStatement = `
  WITH ${repoAccessCte("$1", "$2")}
  SELECT access.role, ${keyListVersionSql("access.repo_id")} AS version, (
    SELECT ${compactJsonArraySql(listedAiApiKeyJsonSql, liveKeysOrder)}
    FROM "RepoAiApiKey" k
    WHERE ${liveKeysWhere}) AS keys
  FROM access`;

/**
 * A page (`limit`, after `cursor`'s position): the same keys in the same order, one more read than asked for
 * to tell whether another page follows, and the position of the page's last key for its `nextCursor`. Its
 * version is the digest of the page's keys alone, and whether another page follows (which `nextCursor` shows):
 * no key outside the page moves it. `columns` are the SELECT's columns after the role and version.
 */
const pageStatement = (columns: string) => `
  WITH ${repoAccessCte("$1", "$2")},
  page AS (
    SELECT k.*, row_number() OVER (ORDER BY k."createdAt" DESC, k.id DESC) AS n
    FROM "RepoAiApiKey" k JOIN access ON k."repoId" = access.repo_id
    WHERE k."deletedAt" IS NULL AND ${accessGrants("read")}
      AND ($3::timestamptz IS NULL OR (k."createdAt", k.id) < ($3::timestamptz, $4::text))
    ORDER BY ${liveKeysOrder}
    LIMIT $5::int + 1)
  SELECT access.role,
    ${keyListDigestSql("page k", "k.n <= $5")} || CASE WHEN EXISTS (SELECT FROM page WHERE n > $5) THEN '.more' ELSE '' END
      AS version${columns}
  FROM access`;

const pageColumns = (usage: boolean) => `,
    (SELECT ${compactJsonArraySql(listedAiApiKeyJsonSql, liveKeysOrder)} FROM page k WHERE k.n <= $5) AS keys,
    (SELECT ${keyPagePositionSql} FROM page k WHERE k.n = $5 AND EXISTS (SELECT FROM page WHERE n > $5)) AS next
    ${usage ? `, ${keysUsageJsonSql("page k", "k.n <= $5", liveKeysOrder)} AS usage` : ""}`;

/** Usage only by pages: the whole list's usage is up to 30 days of every key, too much for one answer. */
const statements = {
  list: listStatement,
  page: { plain: pageStatement(pageColumns(false)), withUsage: pageStatement(pageColumns(true)) },
};

/** The conditional request's one cheap statement: authorize and read the version, no keys. */
const versionStatements = {
  list: `
  WITH ${repoAccessCte("$1", "$2")}
  SELECT access.role, ${keyListVersionSql("access.repo_id")} AS version FROM access`,
  page: pageStatement(""),
};

/**
 * The list's ETag: the repository and the digest of the listed keys (key-versions-sql.ts), which every change
 * to what the list shows changes (create, rename, delete, rotate, a key's `lastUsedAt` stamp), and nothing
 * else: the digest is of these keys' own rows. Per repository, not per caller, because every caller allowed
 * to read sees the same list: the statement filters by role (read or not) and by nothing else, and shows the
 * same columns to every role. Time alone changes nothing: the list holds `expiresAt` as stored, no "expired"
 * flag computed at read time. The repository id is in it so that a tag from another repository with the same
 * digest (two empty lists) never matches; a page's tag also names the page.
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
  if (usage && !page)
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `include=usage needs a page: pass limit (1…${maxKeyPageSize}) and then each answer's nextCursor as cursor. A whole list's usage is not answered at once.`,
    });
  const after = page?.cursor === undefined ? undefined : decodeKeyPageCursor(page.cursor);
  const params = page
    ? [ctx.actor.userId, input.repoId, after?.createdAt ?? null, after?.id ?? null, page.limit]
    : [ctx.actor.userId, input.repoId];
  // Through `reads`: under the read statement timeout and within the pool's share for reads, however many
  // lists arrive at once; writes and verifications keep the reserve.
  const { reads } = ctx.services.db;
  if (conditional?.ifNoneMatch) {
    // Authorization first: a caller without access gets 403 whatever tag they send, never a 304.
    const [current] = await reads.query<{ role: string; version: string }>(
      versionStatements[page ? "page" : "list"],
      params,
    );
    assertRepoPermission(current?.role, "read");
    const etag = etagOf(input.repoId, current!.version, page);
    if (fresh({ "if-none-match": conditional.ifNoneMatch }, { etag })) throw new NotModified(etag);
  }
  const [row] = await reads.query<{
    role: string;
    version: string;
    keys: string;
    next: string | null;
    usage?: string;
  }>(page ? statements.page[usage ? "withUsage" : "plain"] : statements.list, params);
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
