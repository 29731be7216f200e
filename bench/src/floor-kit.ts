// What the floors of src/baseline-server.ts share: the pool, statements prepared (named: parsed and planned
// once per connection, as the app's `sql.query` does; BASELINE_BARE=1: unnamed), the app's own
// `BearerTokenVerifier` with the app's cache and TTL, the access CTE, and the answer writers.
import type { IncomingMessage, ServerResponse } from "node:http";
import { BearerTokenVerifier } from "@repokeys/auth";
import type { SqlRunner } from "@repokeys/db";
import pg from "pg";

export const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_MAX ?? 10),
  connectionTimeoutMillis: 5_000,
  statement_timeout: 15_000,
});
pool.on("error", () => {});

export const bare = process.env.BASELINE_BARE === "1";

const names = new Map<string, string>();
export async function query<Row extends Record<string, unknown>>(text: string, values: unknown[]): Promise<Row[]> {
  if (bare) return (await pool.query<Row>(text, values)).rows;
  let name = names.get(text);
  if (!name) {
    name = `floor_${names.size}`;
    names.set(text, name);
  }
  return (await pool.query<Row>({ name, text, values })).rows;
}
export const sql: SqlRunner = { query: (text, params) => query(text, (params ?? []) as unknown[]) };
export const tokens = new BearerTokenVerifier(sql, { cacheTtlMs: Number(process.env.TOKEN_CACHE_TTL_MS ?? 5_000) });

export const access = (user: string, repo: string) => `
  access AS (
    SELECT r.id AS repo_id, r."workspaceId" AS workspace_id, m.role::text AS role
    FROM "Repo" r JOIN "WorkspaceMember" m ON m."workspaceId" = r."workspaceId" AND m."userId" = ${user}
    WHERE r.id = ${repo})`;
export const writeRoles = "('OWNER', 'ADMIN', 'MEMBER')";

export function send(res: ServerResponse, status: number, payload: string, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}
export const fail = (res: ServerResponse, status: number, message: string) =>
  send(res, status, JSON.stringify({ success: false, message }));

export async function userOf(req: IncomingMessage): Promise<string | null> {
  const auth = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? "");
  if (!auth) return null;
  return (await tokens.verify(auth[1]!))?.userId ?? null;
}
