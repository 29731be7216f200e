// The verify floor served alone (scenario `verify-floor`; the floor itself is verify-floor.ts): node:http + a
// pg Pool with prepared (named) statements. What the app spends beyond this is the cost of its framework.
//
//   DATABASE_URL=... MASTER_KEYS=... PORT=... [DATABASE_POOL_MAX=10] [KEY_CACHE_TTL_MS=5000] node --import tsx bench/src/scenarios/verify-floor-server.ts
import { createServer, type ServerResponse } from "node:http";
import type { SqlRunner } from "@repokeys/db";
import pg from "pg";
import { createVerifyFloor } from "./verify-floor";

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
const verify = await createVerifyFloor(sql);

const fail = (res: ServerResponse, status: number, message: string) => {
  const payload = JSON.stringify({ success: false, message });
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
  });
  res.end(payload);
};

const server = createServer(async (req, res) => {
  try {
    if (req.method !== "POST" || req.url !== "/ai/apikey/verify") return fail(res, 404, "Not found");
    await verify(req, res);
  } catch {
    if (!res.headersSent) fail(res, 500, "Internal error");
  }
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3101), "127.0.0.1", () => {
  process.stdout.write(`verify floor listening on http://127.0.0.1:${process.env.PORT ?? 3101}\n`);
});
const stop = () => server.close(() => pool.end().finally(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
