// Gateway tokens: their creation and revocation are the operator's audit events, and each token has its own
// verification limit, on both rate-limit stores (Redis: REDIS_URL when set, as CI sets it, else our own).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RateLimitSettings } from "../src";
import {
  createGatewayToken,
  listGatewayTokenEvents,
  listGatewayTokens,
  revokeGatewayToken,
} from "../src/admin/gateway-tokens";
import { api } from "../src/testing";
import { type OpenApiProxy, startOpenApiProxy } from "./support/openapi-proxy";
import { startRedisServer } from "./support/redis-server";
import { suiteHarness } from "./support/suite-harness";

const off: RateLimitSettings = { restPerMinute: 0, signInPerAccount: 0, signInPerAddress: 0 };
const ownRedis = process.env.REDIS_URL ? undefined : await startRedisServer();
afterAll(() => ownRedis?.stop());
const stores: [string, string | undefined][] = [
  ["memory", undefined],
  ["redis", process.env.REDIS_URL || ownRedis!.url],
];

describe("audit", () => {
  const suite = suiteHarness();

  it("records creation and revocation as the operator's events (channel admin), never the token", async () => {
    const { h, ws } = suite;
    const token = await createGatewayToken(h.services, { name: "edge gateway" });
    const [listed] = await listGatewayTokens(h.services);
    const { id } = listed!;
    await revokeGatewayToken(h.services, { id });
    // A revocation that changes nothing records nothing.
    await expect(revokeGatewayToken(h.services, { id })).rejects.toThrow(/No unrevoked gateway token/);

    const events = await h.services.db.prisma.systemEvent.findMany({
      where: { context: "gatewaytoken", contextId: id },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => [e.event, e.via, e.userId, e.workspaceId, e.repoId])).toEqual([
      ["created", "admin", null, null, null],
      ["deleted", "admin", null, null, null],
    ]);
    const prefix = token.slice(0, 10);
    expect(events[0]!.jsonData).toEqual({
      gatewayTokenId: id,
      before: null,
      after: { name: "edge gateway", prefix, revokedAt: null },
      via: "admin",
    });
    expect(events[1]!.jsonData).toMatchObject({
      before: { name: "edge gateway", prefix, revokedAt: null },
      after: { name: "edge gateway", prefix, revokedAt: expect.any(String) },
    });
    const stored = await h.services.db.prisma.gatewayToken.findUniqueOrThrow({ where: { id } });
    const written = JSON.stringify(events.map((e) => e.jsonData));
    for (const secret of [
      token,
      Buffer.from(stored.tokenHash).toString("hex"),
      Buffer.from(stored.tokenHash).toString("base64"),
    ])
      expect(written).not.toContain(secret);

    // The operator reads them newest first, paged; no workspace's audit trail shows them.
    const shown = await listGatewayTokenEvents(h.services, { take: 1 });
    expect(shown).toMatchObject([{ event: "deleted", gatewayTokenId: id, via: "admin" }]);
    await expect(listGatewayTokenEvents(h.services, { take: 1001 })).rejects.toThrow(/at most 1000/);
    const audit = await api(h.baseUrl, "POST", "/systemevent", { token: ws.OWNER.token, body: { take: 500 } });
    expect(audit.status).toBe(200);
    expect(audit.json.events.filter((e: { context: string }) => e.context === "gatewaytoken")).toEqual([]);
  });
});

describe.each(stores)("verifications per gateway token, in %s", (_store, redisUrl) => {
  const suite = suiteHarness({
    rateLimits: { ...off, verificationsPerGatewayToken: 3, redisUrl, redisKeyPrefix: `repokeys-test:${randomUUID()}` },
  });
  /** REST calls go through Prism, so the 429 and its Retry-After are checked against /openapi.json. */
  let proxy: OpenApiProxy;
  beforeAll(async () => {
    proxy = await startOpenApiProxy(suite.h.baseUrl);
  });
  afterAll(() => proxy.close());

  it("answers 429 with Retry-After past the token's limit, over REST and tRPC alike; other tokens keep theirs", async () => {
    const { h, ws } = suite;
    expect(h.services.rateLimits.store).toBe(redisUrl ? "redis" : "memory");
    const created = await api(h.baseUrl, "POST", `/repo/${ws.repo.id}/ai/apikey`, {
      token: ws.MEMBER.token,
      body: { name: "k", aiType: "AWS" },
    });
    const pair = { key: created.json.key, secret: created.json.secret };
    const [first, second] = [
      await createGatewayToken(h.services, { name: "first" }),
      await createGatewayToken(h.services, { name: "second" }),
    ];
    const verify = (token: string) => api(proxy.url, "POST", "/ai/apikey/verify", { token, body: pair });
    for (let i = 0; i < 3; i++) expect((await verify(first)).json).toMatchObject({ valid: true });

    const refused = await verify(first);
    expect(refused.status).toBe(429);
    expect(refused.json).toMatchObject({ success: false, message: expect.stringMatching(/Too many requests/) });
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.json.message).toContain("per gateway token for key verifications");

    const typed = await api(h.baseUrl, "POST", "/api/trpc/verifyAiApiKey", { token: first, body: pair });
    expect(typed.status).toBe(429);
    expect(Number(typed.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);

    expect((await verify(second)).json).toMatchObject({ valid: true });
  });
});
