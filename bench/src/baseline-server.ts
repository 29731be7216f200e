// The floor (issue 11): the app's database work with nothing around it, and every trick the app uses.
// node:http + a pg Pool; statements prepared (named: parsed and planned once per connection); the bearer token
// resolved by the app's own `BearerTokenVerifier` with the same cache and TTL (TOKEN_CACHE_TTL_MS, default
// 5000 ms), so a rename is ONE round trip: one statement that authorizes, renames the live key, bumps the
// repository's keysVersion and writes the SystemEvent. The list is one statement in which PostgreSQL builds
// the JSON text, written through untouched; `If-None-Match` gets 304 after one statement (role + version).
// No router, no validation library, no request log.
//
// BASELINE_BARE=1: the old bare floor, kept as a labelled reference only: statements unprepared, no token
// cache, two round trips per rename (token + role, then the change). It serves renames only.
//
//   DATABASE_URL=... PORT=... [DATABASE_POOL_MAX=10] [TOKEN_CACHE_TTL_MS=5000] [BASELINE_BARE=1] \
//     node --import tsx bench/src/baseline-server.ts
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { compactJsonArraySql, listedAiApiKeyJsonSql } from "@repokeys/api";
import { BearerTokenVerifier } from "@repokeys/auth";
import type { SqlRunner } from "@repokeys/db";
import pg from "pg";

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_MAX ?? 10),
  connectionTimeoutMillis: 5_000,
  statement_timeout: 15_000,
});
pool.on("error", () => {});

const bare = process.env.BASELINE_BARE === "1";

// Each distinct statement gets a name (bare: none), as the app's `sql.query` does.
const names = new Map<string, string>();
async function query<Row extends Record<string, unknown>>(text: string, values: unknown[]): Promise<Row[]> {
  if (bare) return (await pool.query<Row>(text, values)).rows;
  let name = names.get(text);
  if (!name) {
    name = `floor_${names.size}`;
    names.set(text, name);
  }
  return (await pool.query<Row>({ name, text, values })).rows;
}
const sql: SqlRunner = { query: (text, params) => query(text, (params ?? []) as unknown[]) };
const tokens = new BearerTokenVerifier(sql, { cacheTtlMs: Number(process.env.TOKEN_CACHE_TTL_MS ?? 5_000) });

const access = (user: string, repo: string) => `
  access AS (
    SELECT r.id AS repo_id, r."workspaceId" AS workspace_id, m.role::text AS role
    FROM "Repo" r JOIN "WorkspaceMember" m ON m."workspaceId" = r."workspaceId" AND m."userId" = ${user}
    WHERE r.id = ${repo})`;
const writeRoles = "('OWNER', 'ADMIN', 'MEMBER')";

/** The rename with authorization: $1 user, $2 repo, $3 key, $4 name. One statement, as the app's. */
const renameStatement = `
  WITH ${access("$1", "$2")},
  target AS (
    SELECT k.id, k.name FROM "RepoAiApiKey" k JOIN access ON k."repoId" = access.repo_id
    WHERE k.id = $3 AND k."deletedAt" IS NULL AND access.role IN ${writeRoles}
    FOR UPDATE OF k),
  renamed AS (
    UPDATE "RepoAiApiKey" k SET name = $4, "updatedAt" = now()
    FROM target
    WHERE k.id = target.id AND $4::text IS NOT NULL AND target.name IS DISTINCT FROM $4::text
    RETURNING k.id, target.name AS before, k.name AS after),
  keys_version AS (
    UPDATE "Repo" r SET "keysVersion" = r."keysVersion" + 1
    FROM access WHERE r.id = access.repo_id AND EXISTS (SELECT 1 FROM renamed)),
  event AS (
    INSERT INTO "SystemEvent" (context, "contextId", event, "userId", "workspaceId", "repoId", via, "jsonData")
    SELECT 'aillmapikey', renamed.id, 'updated', $1, access.workspace_id, $2::text, 'rest',
           jsonb_build_object('repoId', $2::text, 'apikeyId', renamed.id,
             'before', jsonb_build_object('name', renamed.before), 'after', jsonb_build_object('name', renamed.after),
             'via', 'rest')
    FROM renamed, access
    RETURNING id)
  SELECT (SELECT role FROM access) AS role, EXISTS (SELECT 1 FROM target) AS found`;

/** The old bare floor's token lookup: the token's user and role, uncached, a round trip of its own. */
const bareAuthQuery = `
  SELECT u.id AS user_id, m.role::text AS role
  FROM "ApiToken" t
  JOIN "User" u ON u.id = t."userId"
  LEFT JOIN "Repo" r ON r.id = $2
  LEFT JOIN "WorkspaceMember" m ON m."workspaceId" = r."workspaceId" AND m."userId" = u.id
  WHERE t."tokenHash" = $1 AND t."revokedAt" IS NULL AND (t."expiresAt" IS NULL OR t."expiresAt" > now())`;

/** The app's list, as JSON text (the app's own expression per key): role, version and the keys, in one statement. */
const listStatement = `
  WITH ${access("$1", "$2")}
  SELECT access.role, (SELECT "keysVersion"::text FROM "Repo" WHERE id = access.repo_id) AS version, (
    SELECT ${compactJsonArraySql(listedAiApiKeyJsonSql, 'k."createdAt" DESC, k.id DESC')}
    FROM "RepoAiApiKey" k
    WHERE k."repoId" = access.repo_id AND k."deletedAt" IS NULL) AS keys
  FROM access`;

const versionStatement = `
  WITH ${access("$1", "$2")}
  SELECT access.role, r."keysVersion"::text AS version FROM access JOIN "Repo" r ON r.id = access.repo_id`;

const keyRoute = /^\/repo\/([^/]+)\/ai\/apikey\/([^/]+)\/?$/;
const listRoute = /^\/repo\/([^/]+)\/ai\/apikey\/?$/;

function send(res: ServerResponse, status: number, payload: string, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}
const fail = (res: ServerResponse, status: number, message: string) =>
  send(res, status, JSON.stringify({ success: false, message }));

async function userOf(req: IncomingMessage): Promise<string | null> {
  const auth = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? "");
  if (!auth) return null;
  return (await tokens.verify(auth[1]!))?.userId ?? null;
}

async function rename(req: IncomingMessage, res: ServerResponse, repoId: string, apikeyId: string) {
  const auth = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? "");
  if (!auth) return fail(res, 401, "Unauthorized");
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
  const name = typeof body.name === "string" ? body.name.trim() : undefined;
  if (name === "") return fail(res, 400, "Name must not be empty");
  let userId: string | null;
  if (bare) {
    const hash = createHash("sha256").update(auth[1]!).digest();
    const [holder] = await query<{ user_id: string; role: string | null }>(bareAuthQuery, [hash, repoId]);
    userId = holder?.user_id ?? null;
  } else userId = (await tokens.verify(auth[1]!))?.userId ?? null;
  if (!userId) return fail(res, 401, "Unauthorized");
  const [result] = await query<{ role: string | null; found: boolean }>(renameStatement, [
    userId,
    repoId,
    apikeyId,
    name ?? null,
  ]);
  if (!result?.role) return fail(res, 403, "No access to this repository");
  if (!result.found) return fail(res, 404, "API key not found");
  send(res, 200, '{"success":true,"message":"AI API key updated successfully"}');
}

const etagOf = (repoId: string, version: string) => `"${repoId}.${version}"`;
const matches = (header: string, etag: string) =>
  header.trim() === "*" || header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);

async function list(req: IncomingMessage, res: ServerResponse, repoId: string) {
  const userId = await userOf(req);
  if (!userId) return fail(res, 401, "Unauthorized");
  const ifNoneMatch = req.headers["if-none-match"];
  if (ifNoneMatch) {
    const [current] = await query<{ role: string; version: string }>(versionStatement, [userId, repoId]);
    if (!current) return fail(res, 403, "No access to this repository");
    const etag = etagOf(repoId, current.version);
    if (matches(ifNoneMatch, etag)) {
      res.writeHead(304, { etag, "cache-control": "private, no-cache" });
      return res.end();
    }
  }
  const [row] = await query<{ role: string; version: string; keys: string }>(listStatement, [userId, repoId]);
  if (!row) return fail(res, 403, "No access to this repository");
  send(res, 200, `{"success":true,"apiKeys":${row.keys}}`, {
    etag: etagOf(repoId, row.version),
    "cache-control": "private, no-cache",
  });
}

const server = createServer(async (req, res) => {
  try {
    const path = (req.url ?? "/").split("?", 1)[0]!;
    const key = keyRoute.exec(path);
    if (key && req.method === "PUT")
      return await rename(req, res, decodeURIComponent(key[1]!), decodeURIComponent(key[2]!));
    const repo = listRoute.exec(path);
    if (repo && req.method === "GET" && !bare) return await list(req, res, decodeURIComponent(repo[1]!));
    fail(res, 404, "Not found");
  } catch {
    if (!res.headersSent) fail(res, 500, "Internal error");
  }
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3100), "127.0.0.1", () => {
  process.stdout.write(`baseline listening on http://127.0.0.1:${process.env.PORT ?? 3100}\n`);
});
const stop = () => server.close(() => pool.end().finally(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
