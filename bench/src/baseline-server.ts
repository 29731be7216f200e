// The floor (performance-notes.md): the update's database work with nothing around it. node:http + a pg Pool,
// two round trips per request — one query resolving the bearer token's SHA-256 to its user AND that user's
// role in the repository's workspace, then ONE statement that renames the live key and writes its
// SystemEvent atomically. No cache, no framework, no logging. Same database and schema as the app.
//
//   DATABASE_URL=... PORT=... [DATABASE_POOL_MAX=10] node --import tsx bench/src/baseline-server.ts
import { createHash } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import pg from "pg";

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_MAX ?? 10),
  connectionTimeoutMillis: 5_000,
  statement_timeout: 15_000,
});
pool.on("error", () => {});

const authQuery = `
  SELECT u.id AS user_id, r."workspaceId" AS workspace_id, m.role::text AS role
  FROM "ApiToken" t
  JOIN "User" u ON u.id = t."userId"
  LEFT JOIN "Repo" r ON r.id = $2
  LEFT JOIN "WorkspaceMember" m ON m."workspaceId" = r."workspaceId" AND m."userId" = u.id
  WHERE t."tokenHash" = $1 AND t."revokedAt" IS NULL AND (t."expiresAt" IS NULL OR t."expiresAt" > now())`;

const renameStatement = `
  WITH target AS (
    SELECT id, name FROM "RepoAiApiKey"
    WHERE id = $1 AND "repoId" = $2 AND "deletedAt" IS NULL
    FOR UPDATE),
  renamed AS (
    UPDATE "RepoAiApiKey" k SET name = $3, "updatedAt" = now()
    FROM target
    WHERE k.id = target.id AND $3::text IS NOT NULL AND target.name IS DISTINCT FROM $3::text
    RETURNING k.id, target.name AS before, k.name AS after),
  event AS (
    INSERT INTO "SystemEvent" (context, "contextId", event, "userId", "workspaceId", "jsonData")
    SELECT 'aillmapikey', renamed.id, 'updated', $4, $5,
           jsonb_build_object('repoId', $2::text, 'apikeyId', renamed.id,
             'before', jsonb_build_object('name', renamed.before), 'after', jsonb_build_object('name', renamed.after),
             'via', 'rest')
    FROM renamed
    RETURNING id)
  SELECT EXISTS (SELECT 1 FROM target) AS found`;

// BASELINE_PREPARED=1: the same two statements as named (prepared) statements — parsed and planned once per
// connection — to show how much of the floor is PostgreSQL parsing and planning them on every call.
const prepared = process.env.BASELINE_PREPARED === "1";
const authName = prepared ? "baseline_auth" : undefined;
const renameName = prepared ? "baseline_rename" : undefined;

const writeRoles = new Set(["OWNER", "ADMIN", "MEMBER"]);
const route = /^\/repo\/([^/]+)\/ai\/apikey\/([^/]+)\/?$/;

function send(res: ServerResponse, status: number, body: unknown) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
  });
  res.end(payload);
}

const server = createServer(async (req, res) => {
  try {
    const match = route.exec((req.url ?? "/").split("?", 1)[0]!);
    if (!match || req.method !== "PUT") return send(res, 404, { success: false, message: "Not found" });
    const repoId = decodeURIComponent(match[1]!);
    const apikeyId = decodeURIComponent(match[2]!);
    const auth = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? "");
    if (!auth) return send(res, 401, { success: false, message: "Unauthorized" });
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
    const name = typeof body.name === "string" ? body.name.trim() : undefined;
    if (name === "") return send(res, 400, { success: false, message: "Name must not be empty" });

    const hash = createHash("sha256").update(auth[1]!).digest();
    const { rows } = await pool.query({ name: authName, text: authQuery, values: [hash, repoId] });
    const holder = rows[0];
    if (!holder) return send(res, 401, { success: false, message: "Unauthorized" });
    if (!holder.role || !writeRoles.has(holder.role))
      return send(res, 403, { success: false, message: "Insufficient permissions" });

    const { rows: result } = await pool.query({
      name: renameName,
      text: renameStatement,
      values: [apikeyId, repoId, name ?? null, holder.user_id, holder.workspace_id],
    });
    if (!result[0]?.found) return send(res, 404, { success: false, message: "API key not found" });
    send(res, 200, { success: true, message: "AI API key updated successfully" });
  } catch {
    if (!res.headersSent) send(res, 500, { success: false, message: "Internal error" });
  }
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3100), "127.0.0.1", () => {
  process.stdout.write(`baseline listening on http://127.0.0.1:${process.env.PORT ?? 3100}\n`);
});
const stop = () => server.close(() => pool.end().finally(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
