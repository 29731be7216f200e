// The floor of POST /ai/apikey/verify: the very caches the app uses (the gateway-token cache of
// @repokeys/auth and KeyVerifier of @repokeys/api, which stamps lastUsedAt as the app's does) with nothing
// else around them: no router, no tRPC caller, no schema validation, no request log. Served alone by
// verify-floor-server.ts (scenario `verify-floor`) and beside the rename floor by baseline-server.ts (so that
// `rename-busy-floor`, like the app, renames and verifies in one process).
import type { IncomingMessage, ServerResponse } from "node:http";
import { createLogger, KeyVerifier, loadCredentialCheck } from "@repokeys/api";
import { GatewayTokenVerifier } from "@repokeys/auth";
import { parseMasterKeys } from "@repokeys/crypto";
import type { SqlRunner } from "@repokeys/db";

export type VerifyFloor = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function send(res: ServerResponse, status: number, body: unknown) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
  });
  res.end(payload);
}

export async function createVerifyFloor(sql: SqlRunner): Promise<VerifyFloor> {
  const cacheTtlMs = Number(process.env.KEY_CACHE_TTL_MS ?? 5_000);
  const gateways = new GatewayTokenVerifier(sql, { cacheTtlMs: Number(process.env.TOKEN_CACHE_TTL_MS ?? 5_000) });
  // The app's own check of a key's check part: a made-up key costs the floor no query either.
  const credentials = await loadCredentialCheck(sql, parseMasterKeys(process.env.MASTER_KEYS ?? ""));
  const keys = new KeyVerifier(sql, createLogger("silent"), { cacheTtlMs, credentials });
  await keys.loadLegacyKeys();
  return async (req, res) => {
    const auth = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? "");
    if (!auth || !(await gateways.verify(auth[1]!))) return send(res, 401, { success: false, message: "Unauthorized" });
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (typeof body?.key !== "string" || typeof body?.secret !== "string")
      return send(res, 400, { success: false, message: "key and secret must be strings" });
    send(res, 200, await keys.verify(body.key, body.secret, "floor"));
  };
}
