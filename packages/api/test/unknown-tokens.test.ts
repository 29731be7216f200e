// Made-up bearer tokens: each costs at most one database lookup, and an address that keeps presenting them is
// refused before any lookup, while tokens this instance already knows keep working.
import { randomBytes } from "node:crypto";
import { BearerTokenVerifier } from "@repokeys/auth";
import type { SqlRunner } from "@repokeys/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RateLimitSettings } from "../src";
import { api, createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";

const off: RateLimitSettings = { restPerMinute: 0, signInPerAccount: 0, signInPerAddress: 0 };
const bogus = () => `rkt_${randomBytes(32).toString("base64url")}`;

let h: Harness;
let ws: WorkspaceFixture;
let lookups = 0;

beforeAll(async () => {
  h = await startHarness({ rateLimits: { ...off, unknownTokensPerAddress: 5 } });
  ws = await createWorkspaceFixture(h.services);
  // The real database, with the token lookups counted.
  const counted: SqlRunner = {
    query(text, params) {
      if (text.includes(`FROM "ApiToken"`)) lookups++;
      return h.services.db.sql.query(text, params);
    },
  };
  h.services.bearerTokens = new BearerTokenVerifier(counted, { cacheTtlMs: 5_000 });
});
afterAll(() => h.close());

const list = () => `/repo/${ws.repo.id}/ai/apikey`;

describe("unknown bearer tokens", () => {
  it("are answered from memory after their first lookup", async () => {
    const verifier = new BearerTokenVerifier(
      {
        query(text, params) {
          lookups++;
          return h.services.db.sql.query(text, params);
        },
      },
      { cacheTtlMs: 5_000 },
    );
    const token = bogus();
    const before = lookups;
    for (let i = 0; i < 50; i++) expect(await verifier.verify(token)).toBeNull();
    expect(lookups - before).toBe(1);
  });

  it("count against the client's address; past the limit, a 429 without a lookup", async () => {
    // Known first, so that this instance has it cached.
    expect((await api(h.baseUrl, "GET", list(), { token: ws.MEMBER.token })).status).toBe(200);
    const before = lookups;
    for (let i = 0; i < 5; i++) {
      const res = await api(h.baseUrl, "GET", list(), { token: bogus() });
      expect(res.status).toBe(401);
    }
    expect(lookups - before).toBe(5);

    for (const path of [list(), "/api/trpc/listWorkspaces"]) {
      const refused = await api(h.baseUrl, "GET", path, { token: bogus() });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(60);
      expect(refused.text).toMatch(/5 per 15 minutes per address for unknown tokens/);
    }
    expect(lookups - before).toBe(5);
    // The token this instance already knows is not held up by the address's bad ones.
    expect((await api(h.baseUrl, "GET", list(), { token: ws.MEMBER.token })).status).toBe(200);
    expect(lookups - before).toBe(5);
  });
});
