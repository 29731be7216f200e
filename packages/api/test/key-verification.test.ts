// POST /ai/apikey/verify: what a gateway may ask, what it learns, and what verification writes (almost nothing).
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiSettingsFromEnv, createLogger, KeyVerifier } from "../src";
import { createGatewayToken, listGatewayTokens, revokeGatewayToken } from "../src/admin/gateway-tokens";
import { api, createWorkspaceFixture, type Harness, type WorkspaceFixture } from "../src/testing";
import { startCheckedHarness } from "./support/checked-harness";

let h: Harness;
let ws: WorkspaceFixture;
let gateway: string;

/** REST calls go through Prism (support/checked-harness.ts): every answer is checked against /openapi.json. */
let base: string;
let closeHarness: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ h, base, close: closeHarness } = await startCheckedHarness());
  ws = await createWorkspaceFixture(h.services);
  gateway = await createGatewayToken(h.services, { name: "test gateway" });
});
afterAll(() => closeHarness?.());

async function createKey(body: Record<string, unknown> = {}) {
  const res = await api(base, "POST", `/repo/${ws.repo.id}/ai/apikey`, {
    token: ws.MEMBER.token,
    body: { name: "gateway key", aiType: "ANTHROPIC", ...body },
  });
  expect(res.status).toBe(201);
  return res.json as { id: string; key: string; secret: string };
}

const verify = (key: unknown, secret: unknown, token = gateway) =>
  api(base, "POST", "/ai/apikey/verify", { token, body: { key, secret } });

async function storedKey(id: string) {
  return h.services.db.prisma.repoAiApiKey.findUniqueOrThrow({ where: { id } });
}

describe("POST /ai/apikey/verify", () => {
  it("answers a live pair with the key's identity", async () => {
    const created = await createKey();
    const res = await verify(created.key, created.secret);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      valid: true,
      apikeyId: created.id,
      repoId: ws.repo.id,
      workspaceId: ws.workspace.id,
      aiType: "ANTHROPIC",
      name: "gateway key",
    });
  });

  it("answers INVALID alike for an unknown key, a wrong secret and a deleted key", async () => {
    const created = await createKey();
    const other = await createKey();
    const answers = [
      await verify("rk_doesnotexist000000000000", created.secret),
      await verify(created.key, other.secret),
      await verify(created.key, `${created.secret}x`),
      await verify(created.key, ""),
      await verify("", ""),
    ];
    const deleted = await api(base, "DELETE", `/repo/${ws.repo.id}/ai/apikey/${created.id}`, {
      token: ws.MEMBER.token,
    });
    expect(deleted.status).toBe(200);
    // The instance that deleted it stops verifying it at once, even though it was cached a moment ago.
    answers.push(await verify(created.key, created.secret));
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"valid":false,"code":"INVALID"}');
    }
  });

  it("answers EXPIRED only to the right secret of a key past its expiry", async () => {
    const created = await createKey({ expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect((await verify(created.key, created.secret)).json.valid).toBe(true);
    await h.services.db.sql.query(`UPDATE "RepoAiApiKey" SET "expiresAt" = now() - interval '1 second' WHERE id = $1`, [
      created.id,
    ]);
    h.services.keyVerifier.forget(created.key);
    expect((await verify(created.key, created.secret)).json).toEqual({ valid: false, code: "EXPIRED" });
    expect((await verify(created.key, "rks_wrong")).json).toEqual({ valid: false, code: "INVALID" });
  });

  it("refuses a personal API token with 403 that says to use a gateway token", async () => {
    const created = await createKey();
    const res = await verify(created.key, created.secret, ws.OWNER.token);
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ success: false, code: "FORBIDDEN" });
    expect(res.json.message).toMatch(/use a gateway token/);
    expect(res.json.message).toMatch(/gateway-token create/);
  });

  it("refuses no token, a made-up gateway token and a revoked one with 401", async () => {
    const created = await createKey();
    expect((await verify(created.key, created.secret, "")).status).toBe(401);
    expect((await verify(created.key, created.secret, "rkg_made-up")).status).toBe(401);
    const revoked = await createGatewayToken(h.services, { name: "to revoke" });
    expect((await verify(created.key, created.secret, revoked)).status).toBe(200);
    const [listed] = (await listGatewayTokens(h.services)).filter((t) => t.name === "to revoke");
    await revokeGatewayToken(h.services, { id: listed!.id });
    const res = await verify(created.key, created.secret, revoked);
    expect(res.status).toBe(401);
    expect(res.json.message).toMatch(/gateway token is unknown or revoked/);
  });

  it("gives a gateway token nothing else: 403 on every other endpoint", async () => {
    const created = await createKey();
    for (const [method, path] of [
      ["GET", `/repo/${ws.repo.id}/ai/apikey`],
      ["PUT", `/repo/${ws.repo.id}/ai/apikey/${created.id}`],
      ["DELETE", `/repo/${ws.repo.id}/ai/apikey/${created.id}`],
      ["POST", `/repo/${ws.repo.id}/ai/apikey/${created.id}/rotate`],
      ["POST", "/systemevent"],
    ] as const) {
      const res = await api(base, method, path, { token: gateway, body: method === "GET" ? undefined : {} });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json.message).toMatch(/gateway token can only verify keys/);
    }
    expect((await storedKey(created.id)).deletedAt).toBeNull();
  });

  it("is the tRPC procedure verifyAiApiKey too, for a gateway token only", async () => {
    const created = await createKey();
    const call = (token: string) =>
      api(h.baseUrl, "POST", "/api/trpc/verifyAiApiKey", {
        token,
        body: { key: created.key, secret: created.secret },
      });
    const ok = await call(gateway);
    expect(ok.status).toBe(200);
    expect(ok.json.result.data).toMatchObject({ valid: true, apikeyId: created.id });
    const person = await call(ws.MEMBER.token);
    expect(person.status).toBe(403);
    expect(person.json.error.message).toMatch(/use a gateway token/);
    const listing = await api(h.baseUrl, "GET", "/api/trpc/listWorkspaces", { token: gateway });
    expect(listing.status).toBe(403);
  });

  it("refuses bodies that are not a key and a secret with 400", async () => {
    for (const body of [{}, { key: "rk_x" }, { key: 1, secret: "s" }, { key: "k", secret: "s", extra: 1 }]) {
      const res = await api(base, "POST", "/ai/apikey/verify", { token: gateway, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await verify("k".repeat(201), "s")).status).toBe(400);
  });

  it("keeps the secret and the gateway token out of the logs", async () => {
    const created = await createKey();
    await verify(created.key, created.secret);
    await verify(created.key, "rks_wrong");
    const logs = h.logs.join("");
    expect(logs).not.toContain(created.secret);
    expect(logs).not.toContain(gateway);
  });
});

describe("what verification writes", () => {
  it("writes nothing for a wrong secret (the secret is checked before the stamp)", async () => {
    const created = await createKey();
    const before = await storedKey(created.id);
    for (let i = 0; i < 5; i++) expect((await verify(created.key, "rks_wrong")).json.valid).toBe(false);
    await sleep(100);
    const after = await storedKey(created.id);
    expect(after.lastUsedAt).toBeNull();
    expect(after.updatedAt).toEqual(before.updatedAt);
  });

  it("stamps last use once a minute at most, on every instance together", async () => {
    const created = await createKey();
    await h.services.db.sql.query(`CREATE TABLE IF NOT EXISTS stamp_log (id text)`);
    await h.services.db.sql.query(`
      CREATE OR REPLACE FUNCTION log_stamp() RETURNS trigger AS $$
      BEGIN INSERT INTO stamp_log VALUES (NEW.id); RETURN NEW; END $$ LANGUAGE plpgsql`);
    await h.services.db.sql.query(`
      CREATE TRIGGER log_stamp AFTER UPDATE OF "lastUsedAt" ON "RepoAiApiKey" FOR EACH ROW EXECUTE FUNCTION log_stamp()`);
    try {
      const results = await Promise.all(Array.from({ length: 30 }, () => verify(created.key, created.secret)));
      expect(results.every((r) => r.json.valid === true)).toBe(true);
      await sleep(100); // the first stamp, off the request path, has landed
      // A second instance (its own verifier, no cache): its stamp finds this minute's already written.
      const otherInstance = new KeyVerifier(h.services.db.sql, createLogger("silent"), {
        cacheTtlMs: 0,
        credentials: h.services.credentials,
      });
      for (let i = 0; i < 5; i++)
        expect((await otherInstance.verify(created.key, created.secret, "gateway")).valid).toBe(true);
      await sleep(200);
      const writes = await h.services.db.sql.query(`SELECT id FROM stamp_log WHERE id = $1`, [created.id]);
      expect(writes).toHaveLength(1);
      expect((await storedKey(created.id)).lastUsedAt).not.toBeNull();
    } finally {
      await h.services.db.sql.query(`DROP TRIGGER log_stamp ON "RepoAiApiKey"`);
    }
  });

  it("still verifies when the stamp fails, and logs the failure without the secret", async () => {
    const created = await createKey();
    await h.services.db.sql.query(`
      CREATE OR REPLACE FUNCTION refuse_stamp() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'stamps refused by the test'; END $$ LANGUAGE plpgsql`);
    await h.services.db.sql.query(`
      CREATE TRIGGER refuse_stamp BEFORE UPDATE OF "lastUsedAt" ON "RepoAiApiKey" FOR EACH ROW EXECUTE FUNCTION refuse_stamp()`);
    try {
      const res = await verify(created.key, created.secret);
      expect(res.json).toMatchObject({ valid: true, apikeyId: created.id });
      await sleep(200);
      const logs = h.logs.join("");
      expect(logs).toContain("could not record a key's last use");
      expect(logs).not.toContain(created.secret);
      expect((await storedKey(created.id)).lastUsedAt).toBeNull();
    } finally {
      await h.services.db.sql.query(`DROP TRIGGER refuse_stamp ON "RepoAiApiKey"`);
    }
  });

  it("serves a key from the cache: a change made behind its back shows only after KEY_CACHE_TTL_MS", async () => {
    const created = await createKey();
    const verifier = new KeyVerifier(h.services.db.sql, createLogger("silent"), {
      cacheTtlMs: 400,
      credentials: h.services.credentials,
    });
    expect((await verifier.verify(created.key, created.secret, "gateway")).valid).toBe(true);
    await h.services.db.sql.query(`UPDATE "RepoAiApiKey" SET "deletedAt" = now() WHERE id = $1`, [created.id]);
    expect((await verifier.verify(created.key, created.secret, "gateway")).valid).toBe(true);
    await sleep(450);
    expect(await verifier.verify(created.key, created.secret, "gateway")).toEqual({ valid: false, code: "INVALID" });
  });
});

it("reads KEY_CACHE_TTL_MS: 5 s by default, at most a minute", () => {
  const env = (value?: string) => ({ KEY_CACHE_TTL_MS: value }) as unknown as NodeJS.ProcessEnv;
  expect(apiSettingsFromEnv(env()).keyCacheTtlMs).toBe(5_000);
  expect(apiSettingsFromEnv(env("0")).keyCacheTtlMs).toBe(0);
  expect(apiSettingsFromEnv(env("60000")).keyCacheTtlMs).toBe(60_000);
  for (const bad of ["60001", "-1", "1.5", "soon"])
    expect(() => apiSettingsFromEnv(env(bad))).toThrow(/KEY_CACHE_TTL_MS must be a whole number/);
});
