// Made-up credentials cost nothing and lock out no one: a token or key whose check part is
// wrong is refused with no query; old-format ones (minted before check parts) are told real by the set read at
// startup, otherwise looked up against a budget counted before the lookup; a credential known real is always
// looked up. Lookups are counted on the real database, through a counting wrapper around its SqlRunner.
import { randomBytes } from "node:crypto";
import { BearerTokenVerifier, GatewayTokenVerifier } from "@repokeys/auth";
import { generateSecret, sealSecret, sha256 } from "@repokeys/crypto";
import type { SqlRunner } from "@repokeys/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller, createLogger, KeyVerifier, type RateLimitSettings, typedCallContext } from "../src";
import { createGatewayToken } from "../src/admin/gateway-tokens";
import { api, createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";

const limit = 5;
const off: RateLimitSettings = { restPerMinute: 0, signInPerAccount: 0, signInPerAddress: 0 };
const random = (bytes: number) => randomBytes(bytes).toString("base64url");
/** The shape minted before check parts. */
const oldFormat = {
  apiToken: () => `rkt_${random(32)}`,
  gatewayToken: () => `rkg_${random(32)}`,
  key: () => `rk_${random(18)}`,
};
/** Random bytes of any count but `except`'s (whose length would be the old format's). */
const randomBut = (bytes: number, except: number) => random(bytes === except ? bytes + 1 : bytes);
/** The shape minted now, with a check part nobody but the server can compute: what a forger sends. */
const forged = {
  apiToken: () => `rkt_${random(40)}`,
  gatewayToken: () => `rkg_${random(40)}`,
  key: () => `rk_${random(26)}`,
};

let h: Harness;
let ws: WorkspaceFixture;
const lookups = { ApiToken: 0, GatewayToken: 0, RepoAiApiKey: 0 };
const legacy = {
  apiToken: oldFormat.apiToken(),
  gatewayToken: oldFormat.gatewayToken(),
  key: oldFormat.key(),
  secret: "",
};

async function insertLegacyApiToken(token: string) {
  await h.services.db.sql.query(
    `INSERT INTO "ApiToken" ("userId", name, prefix, "tokenHash") VALUES ($1, 'legacy', $2, $3)`,
    [ws.MEMBER.actor.userId, token.slice(0, 10), sha256(token)],
  );
}
async function insertLegacyGatewayToken(token: string) {
  await h.services.db.sql.query(`INSERT INTO "GatewayToken" (name, prefix, "tokenHash") VALUES ('legacy', $1, $2)`, [
    token.slice(0, 10),
    sha256(token),
  ]);
}
/** A key as the create statement wrote it before check parts. */
async function insertLegacyKey(key: string) {
  const secret = generateSecret();
  const sealed = sealSecret(h.services.keyring, secret, key);
  await h.services.db.sql.query(
    `INSERT INTO "RepoAiApiKey" ("repoId", name, "aiType", key, "secretCiphertext", "masterKeyVersion", "secretHash")
     VALUES ($1, 'legacy key', 'OPENAI', $2, $3, $4, $5)`,
    [ws.repo.id, key, sealed.ciphertext, sealed.masterKeyVersion, sha256(secret)],
  );
  return secret;
}

beforeAll(async () => {
  h = await startHarness({
    rateLimits: { ...off, unknownTokensPerAddress: limit, unknownKeysPerGatewayToken: limit },
    trustProxy: true,
  });
  ws = await createWorkspaceFixture(h.services);
  // Credentials minted before this version, already in the database when the instance starts.
  await insertLegacyApiToken(legacy.apiToken);
  await insertLegacyGatewayToken(legacy.gatewayToken);
  legacy.secret = await insertLegacyKey(legacy.key);
  // The instance's verifiers again, on the real database with its lookups counted, started as at startup.
  const counted: SqlRunner = {
    query(text, params) {
      for (const table of Object.keys(lookups) as (keyof typeof lookups)[])
        if (text.includes(`FROM "${table}"`)) lookups[table]++;
      return h.services.db.sql.query(text, params);
    },
  };
  h.services.bearerTokens = new BearerTokenVerifier(counted, { cacheTtlMs: 5_000 });
  h.services.gatewayTokens = new GatewayTokenVerifier(counted, { cacheTtlMs: 5_000 });
  h.services.keyVerifier = new KeyVerifier(counted, createLogger("silent"), {
    cacheTtlMs: 5_000,
    credentials: h.services.credentials,
    unknownKeys: h.services.rateLimits.unknownKeys,
  });
  await Promise.all([
    h.services.bearerTokens.loadIssued(),
    h.services.gatewayTokens.loadIssued(),
    h.services.keyVerifier.loadLegacyKeys(),
  ]);
});
afterAll(() => h.close());

let addresses = 0;
/** A client address of its own for each test, so that each starts with the whole budget. */
const newAddress = () => `203.0.113.${++addresses}`;
const list = () => `/repo/${ws.repo.id}/ai/apikey`;
const from = (address: string, token: string, path = list()) =>
  api(h.baseUrl, "GET", path, { token, headers: { "x-forwarded-for": address } });
const verify = (gateway: string, key: string, secret: string, address = "198.51.100.1") =>
  api(h.baseUrl, "POST", "/ai/apikey/verify", {
    token: gateway,
    body: { key, secret },
    headers: { "x-forwarded-for": address },
  });
const snapshot = () => ({ ...lookups });
const since = (before: typeof lookups) => ({
  ApiToken: lookups.ApiToken - before.ApiToken,
  GatewayToken: lookups.GatewayToken - before.GatewayToken,
  RepoAiApiKey: lookups.RepoAiApiKey - before.RepoAiApiKey,
});

describe("API tokens and gateway tokens", () => {
  it("made up with a check part: 401 with no lookup, and no one's budget spent", async () => {
    const address = newAddress();
    const before = snapshot();
    for (let i = 0; i < 40; i++) {
      for (const token of [
        forged.apiToken(),
        forged.gatewayToken(),
        `rkt_${randomBut(i + 1, 32)}`,
        `rkg_${randomBut(i + 1, 32)}`,
      ])
        expect((await from(address, token)).status).toBe(401);
    }
    expect(since(before)).toEqual({ ApiToken: 0, GatewayToken: 0, RepoAiApiKey: 0 });
    // The address still has its whole budget for tokens only the database can tell.
    for (let i = 0; i < limit; i++) expect((await from(address, oldFormat.apiToken())).status).toBe(401);
    expect(since(before).ApiToken).toBe(limit);
  });

  it("100 distinct old-format bogus tokens at once from one address cost at most the limit's lookups", async () => {
    const address = newAddress();
    const before = snapshot();
    const answers = await Promise.all(Array.from({ length: 100 }, () => from(address, oldFormat.apiToken())));
    expect(since(before).ApiToken).toBeLessThanOrEqual(limit);
    expect(answers.filter((a) => a.status === 401)).toHaveLength(limit);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(100 - limit);
  });

  it("random old-format gateway tokens count against the same limit: 429 past it, on REST and tRPC", async () => {
    const address = newAddress();
    const before = snapshot();
    for (let i = 0; i < limit; i++) {
      expect((await verify(oldFormat.gatewayToken(), legacy.key, legacy.secret, address)).status).toBe(401);
    }
    for (const path of ["/ai/apikey/verify", list(), "/api/trpc/listWorkspaces"]) {
      const refused =
        path === "/ai/apikey/verify"
          ? await verify(oldFormat.gatewayToken(), legacy.key, legacy.secret, address)
          : await from(address, oldFormat.gatewayToken(), path);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(60);
      expect(refused.text).toMatch(/5 per 15 minutes per address for unknown tokens/);
    }
    expect(since(before)).toEqual({ ApiToken: 0, GatewayToken: limit, RepoAiApiKey: 0 });
  });

  it("valid tokens, never seen by this instance, keep working from an address whose budget a stranger spent", async () => {
    const address = newAddress();
    for (let i = 0; i < limit; i++) expect((await from(address, oldFormat.apiToken())).status).toBe(401);
    expect((await from(address, oldFormat.apiToken())).status).toBe(429);
    // Tokens minted now (a right check part), and old-format ones live at startup: looked up, and served.
    const caller = createCaller(typedCallContext(h.services, ws.MEMBER.actor));
    const fresh = await caller.createApiToken({ name: "after the flood" });
    expect(fresh.token).toMatch(/^rkt_[A-Za-z0-9_-]{54}$/);
    expect((await from(address, fresh.token)).status).toBe(200);
    expect((await from(address, legacy.apiToken)).status).toBe(200);
    const gateway = await createGatewayToken(h.services, { name: "after the flood" });
    expect((await verify(gateway, legacy.key, legacy.secret, address)).json).toMatchObject({ valid: true });
    expect((await verify(legacy.gatewayToken, legacy.key, legacy.secret, address)).json).toMatchObject({
      valid: true,
    });
    // A real token that was revoked is told apart from a made-up one: 401, not 429, and then from memory.
    const revoked = await caller.createApiToken({ name: "revoked" });
    await caller.revokeApiToken({ id: revoked.apiToken.id });
    const before = snapshot();
    expect((await from(address, revoked.token)).status).toBe(401);
    expect((await from(address, revoked.token)).status).toBe(401);
    expect(since(before).ApiToken).toBeLessThanOrEqual(1);
  });

  it("an old-format token minted after startup (a rolling upgrade's older instance) works within the budget", async () => {
    const address = newAddress();
    const late = oldFormat.apiToken();
    await insertLegacyApiToken(late);
    expect(h.services.bearerTokens.wasIssued(late)).toBe(false);
    expect((await from(address, late)).status).toBe(200);
    expect(h.services.bearerTokens.wasIssued(late)).toBe(true);
    // Its lookup was given back: the address still has its whole budget.
    for (let i = 0; i < limit; i++) expect((await from(address, oldFormat.apiToken())).status).toBe(401);
    expect((await from(address, oldFormat.apiToken())).status).toBe(429);
  });
});

it("a gateway token's concurrent verifications share one lookup when it is not cached", async () => {
  const gateway = await createGatewayToken(h.services, { name: "busy gateway" });
  const before = snapshot();
  const holders = await Promise.all(Array.from({ length: 20 }, () => h.services.gatewayTokens.verify(gateway)));
  expect(holders.every((holder) => holder?.name === "busy gateway")).toBe(true);
  expect(since(before).GatewayToken).toBe(1);
});

describe("keys on POST /ai/apikey/verify", () => {
  it("a made-up key (a wrong check part, or a length we never mint) is INVALID with no query", async () => {
    const gateway = await createGatewayToken(h.services, { name: "forged keys" });
    expect((await verify(gateway, legacy.key, legacy.secret)).json.valid).toBe(true);
    const before = snapshot();
    for (let i = 0; i < 300; i++) {
      const key = i % 3 === 0 ? `rk_${randomBut(i % 40, 18)}` : forged.key();
      expect((await verify(gateway, key, generateSecret())).json).toEqual({ valid: false, code: "INVALID" });
    }
    expect(since(before)).toEqual({ ApiToken: 0, GatewayToken: 0, RepoAiApiKey: 0 });
  });

  it("old-format keys unknown here count against the gateway token: 429 past it, while real keys verify", async () => {
    const gateway = await createGatewayToken(h.services, { name: "legacy flood" });
    const before = snapshot();
    for (let i = 0; i < limit; i++) {
      expect((await verify(gateway, oldFormat.key(), generateSecret())).json).toEqual({
        valid: false,
        code: "INVALID",
      });
    }
    const refused = await verify(gateway, oldFormat.key(), generateSecret());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(since(before).RepoAiApiKey).toBe(limit);
    // Past the limit: an old-format key live at startup, and a key minted now, are looked up and verify.
    h.services.keyVerifier.forget(legacy.key);
    expect((await verify(gateway, legacy.key, legacy.secret)).json).toMatchObject({ valid: true, name: "legacy key" });
    const created = await createCaller(typedCallContext(h.services, ws.MEMBER.actor)).createAiApiKey({
      repoId: ws.repo.id,
      name: "minted now",
      aiType: "OPENAI",
    });
    expect(created.key).toMatch(/^rk_[A-Za-z0-9_-]{35}$/);
    expect((await verify(gateway, created.key, created.secret)).json).toMatchObject({
      valid: true,
      apikeyId: created.id,
    });
    // Another gateway token has a budget of its own.
    const other = await createGatewayToken(h.services, { name: "other gateway" });
    expect((await verify(other, oldFormat.key(), generateSecret())).json.code).toBe("INVALID");
  });

  it("an old-format key minted after startup verifies within the budget, and is known from then on", async () => {
    const gateway = await createGatewayToken(h.services, { name: "rolling upgrade" });
    const late = oldFormat.key();
    const secret = await insertLegacyKey(late);
    expect((await verify(gateway, late, secret)).json).toMatchObject({ valid: true });
    for (let i = 0; i < limit; i++) await verify(gateway, oldFormat.key(), generateSecret());
    expect((await verify(gateway, oldFormat.key(), generateSecret())).status).toBe(429);
    h.services.keyVerifier.forget(late);
    expect((await verify(gateway, late, secret)).json).toMatchObject({ valid: true });
  });
});
