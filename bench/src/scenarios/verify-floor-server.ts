// The floor of POST /ai/apikey/verify (issue 12): node:http + a pg Pool with prepared (named) statements and
// the very caches the app uses (the gateway-token cache of @repokeys/auth and KeyVerifier of @repokeys/api),
// with nothing else around them: no router, no tRPC caller, no schema validation, no request log. What the
// app spends beyond this is the cost of its framework.
//
//   DATABASE_URL=... MASTER_KEYS=... PORT=... [DATABASE_POOL_MAX=10] [KEY_CACHE_TTL_MS=5000] node --import tsx bench/src/scenarios/verify-floor-server.ts
import { createServer, type ServerResponse } from "node:http";
import { createLogger, KeyVerifier, loadCredentialCheck } from "@repokeys/api";
import { GatewayTokenVerifier } from "@repokeys/auth";
import { parseMasterKeys } from "@repokeys/crypto";
import type { SqlRunner } from "@repokeys/db";
import pg from "pg";

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_MAX ?? 10),
  connectionTimeoutMillis: 5_000,
  statement_timeout: 15_000,
});
pool.on("error", () => {});

// Each distinct statement gets a name, so PostgreSQL parses and plans it once per connection.
const names = new Map<string, string>();
const sql: SqlRunner = {
  query: async <Row extends Record<string, unknown>>(text: string, params?: readonly unknown[]) => {
    let name = names.get(text);
    if (!name) {
      name = `floor_${names.size}`;
      names.set(text, name);
    }
    return (await pool.query<Row>({ name, text, values: params as unknown[] | undefined })).rows;
  },
};

const cacheTtlMs = Number(process.env.KEY_CACHE_TTL_MS ?? 5_000);
const gateways = new GatewayTokenVerifier(sql, { cacheTtlMs: Number(process.env.TOKEN_CACHE_TTL_MS ?? 5_000) });
// The app's own check of a key's check part: a made-up key costs the floor no query either.
const credentials = await loadCredentialCheck(sql, parseMasterKeys(process.env.MASTER_KEYS ?? ""));
const keys = new KeyVerifier(sql, createLogger("silent"), { cacheTtlMs, credentials });
await keys.loadLegacyKeys();

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
    if (req.method !== "POST" || req.url !== "/ai/apikey/verify")
      return send(res, 404, { success: false, message: "Not found" });
    const auth = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? "");
    if (!auth || !(await gateways.verify(auth[1]!))) return send(res, 401, { success: false, message: "Unauthorized" });
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (typeof body?.key !== "string" || typeof body?.secret !== "string")
      return send(res, 400, { success: false, message: "key and secret must be strings" });
    send(res, 200, await keys.verify(body.key, body.secret, "floor"));
  } catch {
    if (!res.headersSent) send(res, 500, { success: false, message: "Internal error" });
  }
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3101), "127.0.0.1", () => {
  process.stdout.write(`verify floor listening on http://127.0.0.1:${process.env.PORT ?? 3101}\n`);
});
const stop = () => server.close(() => pool.end().finally(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
