// Rate limits: REST per token and sign-in per account and address, on both stores. The Redis cases use
// REDIS_URL when it is set (CI sets it), and otherwise a redis-server of their own.
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, type RateLimitSettings, rateLimitSettingsFromEnv } from "../src";
import { createRateLimits, type RateLimits } from "../src/rate-limit/rate-limits";
import { api, createWorkspaceFixture, type Harness, type WorkspaceFixture } from "../src/testing";
import { startCheckedHarness } from "./support/checked-harness";
import { startRedisServer } from "./support/redis-server";

const logger = createLogger("silent");
const localRedis = "redis://127.0.0.1:6379";

const off: RateLimitSettings = { restPerMinute: 0, signInPerAccount: 0, signInPerAddress: 0 };
const ownRedis = process.env.REDIS_URL ? undefined : await startRedisServer();
afterAll(() => ownRedis?.stop());
const redisUrl = process.env.REDIS_URL || ownRedis!.url;
const stores: [string, string | undefined][] = [
  ["memory", undefined],
  ["redis", redisUrl],
];

describe("settings", () => {
  it("reads limits from the environment, with defaults and 0 meaning off", () => {
    expect(rateLimitSettingsFromEnv({})).toEqual({
      redisUrl: undefined,
      redisKeyPrefix: undefined,
      restPerMinute: 600,
      signInPerAccount: 10,
      signInPerAddress: 100,
      unknownTokensPerAddress: 30,
      unknownKeysPerGatewayToken: 60,
      verificationsPerGatewayToken: 6000,
    });
    expect(
      rateLimitSettingsFromEnv({
        RATE_LIMIT_REST_PER_MINUTE: "0",
        REDIS_URL: localRedis,
        RATE_LIMIT_REDIS_PREFIX: "staging",
      }),
    ).toMatchObject({
      restPerMinute: 0,
      redisUrl: localRedis,
      redisKeyPrefix: "staging",
    });
    expect(() => rateLimitSettingsFromEnv({ RATE_LIMIT_SIGNIN_PER_ACCOUNT: "ten" })).toThrow(
      /RATE_LIMIT_SIGNIN_PER_ACCOUNT must be a whole number/,
    );
  });

  it("refuses to start with a REDIS_URL that does not answer, saying what to do", async () => {
    const closed = createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const { port } = closed.address() as { port: number };
    closed.close();
    await expect(createRateLimits({ ...off, redisUrl: `redis://:hunter2@127.0.0.1:${port}` }, logger)).rejects.toThrow(
      /REDIS_URL is set but Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/? cannot be reached.*unset REDIS_URL/,
    );
  });
});

describe.each(stores)("REST per token, in %s", (_store, storeUrl) => {
  let h: Harness;
  let ws: WorkspaceFixture;
  /** REST calls go through Prism (support/checked-harness.ts): every answer is checked against /openapi.json. */
  let base: string;
  let closeHarness: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({
      h,
      base,
      close: closeHarness,
    } = await startCheckedHarness({ rateLimits: { ...off, restPerMinute: 5, redisUrl: storeUrl } }));
    ws = await createWorkspaceFixture(h.services);
  });
  afterAll(() => closeHarness?.());

  it("answers 429 with Retry-After past the limit, per token, and stores nothing from a refused request", async () => {
    expect(h.services.rateLimits.store).toBe(storeUrl ? "redis" : "memory");
    const list = `/repo/${ws.repo.id}/ai/apikey`;
    const created = await api(base, "POST", list, { token: ws.MEMBER.token, body: { name: "a", aiType: "AWS" } });
    expect(created.status).toBe(201);
    for (let i = 0; i < 4; i++) expect((await api(base, "GET", list, { token: ws.MEMBER.token })).status).toBe(200);

    const refused = await api(base, "PUT", `${list}/${created.json.id}`, {
      token: ws.MEMBER.token,
      body: { name: "renamed" },
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toMatch(/^application\/json/);
    expect(refused.json).toMatchObject({ success: false, message: expect.stringMatching(/Too many requests/) });
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.json.message).toContain(`${retryAfter} s`);
    const stored = await h.services.db.prisma.repoAiApiKey.findUniqueOrThrow({ where: { id: created.json.id } });
    expect(stored.name).toBe("a");
    expect(await h.services.db.prisma.systemEvent.count({ where: { contextId: created.json.id } })).toBe(1);

    // The same budget on the tRPC endpoint: a token cannot get around its limit there.
    const input = encodeURIComponent(JSON.stringify({ repoId: ws.repo.id }));
    const typed = await api(h.baseUrl, "GET", `/api/trpc/listAiApiKeys?input=${input}`, { token: ws.MEMBER.token });
    expect(typed.status).toBe(429);
    expect(Number(typed.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(typed.json.error.message).toMatch(/Too many requests/);

    // Another token of the same user's workspace has its own budget; a bad token is a 401, not counted.
    expect((await api(base, "GET", list, { token: ws.VIEWER.token })).status).toBe(200);
    expect((await api(base, "GET", list, { token: "rkt_not-a-token" })).status).toBe(401);
  });
});

describe.each(stores)("sign-in per account and address, in %s", (_store, storeUrl) => {
  let limits: RateLimits;
  beforeAll(async () => {
    // A prefix of its own: the fixed addresses below must not meet counters an earlier run left in a shared Redis.
    limits = await createRateLimits(
      { ...off, signInPerAccount: 3, signInPerAddress: 5, redisUrl: storeUrl, redisKeyPrefix: `test-${randomUUID()}` },
      logger,
    );
  });
  afterAll(() => limits.close());

  it("refuses an account's attempts from one address past its limit, until a success there resets it", async () => {
    const email = `Someone-${randomUUID()}@Example.test`;
    for (let i = 0; i < 3; i++) {
      expect(await limits.signIn.attempt({ email, address: "10.0.0.1" })).toEqual({ allowed: true });
    }
    // The same account however it is spelled, from the same address.
    const refused = await limits.signIn.attempt({ email: ` ${email.toLowerCase()} `, address: "10.0.0.1" });
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
    if (!refused.allowed) expect(refused.retryAfterSeconds).toBeGreaterThan(14 * 60);

    await limits.signIn.succeeded({ email, address: "10.0.0.1" });
    expect(await limits.signIn.attempt({ email, address: "10.0.0.1" })).toEqual({ allowed: true });
  });

  it("lets nobody lock a person out: a stranger's failures never spend the budget of the person's address", async () => {
    const email = `victim-${randomUUID()}@example.test`;
    const [stranger, person] = [`2001:db8::a:${randomUUID().slice(0, 4)}`, `2001:db8::b:${randomUUID().slice(0, 4)}`];
    // Ten wrong guesses for the account from the stranger's address: refused from the fourth on.
    const verdicts = [];
    for (let i = 0; i < 10; i++) verdicts.push((await limits.signIn.attempt({ email, address: stranger })).allowed);
    expect(verdicts).toEqual([true, true, true, false, false, false, false, false, false, false]);
    // The person's own address still has its whole budget for the account.
    for (let i = 0; i < 3; i++) {
      expect(await limits.signIn.attempt({ email, address: person })).toEqual({ allowed: true });
    }
  });

  it("refuses an address's attempts past its limit whichever accounts it tries", async () => {
    const address = `2001:db8::${randomUUID().slice(0, 4)}`;
    for (let i = 0; i < 5; i++) {
      // Looking does not count: the address keeps its whole budget of 5 attempts.
      expect(await limits.signIn.peekAddress(address)).toEqual({ allowed: true });
      expect(await limits.signIn.attempt({ email: `guess-${i}-${randomUUID()}@example.test`, address })).toEqual({
        allowed: true,
      });
    }
    const spent = await limits.signIn.peekAddress(address);
    expect(spent).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
    if (!spent.allowed) expect(spent.retryAfterSeconds).toBeGreaterThan(14 * 60);
    const refused = await limits.signIn.attempt({ email: `new-${randomUUID()}@example.test`, address });
    expect(refused.allowed).toBe(false);
    // A success resets the account from this address, never the address.
    await limits.signIn.succeeded({ email: `guess-0@example.test`, address });
    expect((await limits.signIn.peekAddress(address)).allowed).toBe(false);
  });
});

describe("shared through Redis", () => {
  it("two instances count against one budget", async () => {
    const settings = { ...off, restPerMinute: 4, redisUrl };
    const [one, two] = [await createRateLimits(settings, logger), await createRateLimits(settings, logger)];
    const tokenId = randomUUID();
    const verdicts = [];
    for (let i = 0; i < 3; i++) verdicts.push(await one.calls.consume(tokenId), await two.calls.consume(tokenId));
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, true, false, false]);
    await Promise.all([one.close(), two.close()]);
  });

  it("keeps answering from memory when Redis goes away, and never fails a request over it", async () => {
    // A proxy between the limiter and Redis, which the test cuts: the shared Redis itself stays up for others.
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = new URL(redisUrl);
      const server = connect(Number(upstream.port || 6379), upstream.hostname);
      for (const s of [client, server]) {
        sockets.add(s);
        s.on("error", () => {});
      }
      client.pipe(server).pipe(client);
    });
    proxy.listen(0, "127.0.0.1");
    await once(proxy, "listening");
    const { port } = proxy.address() as { port: number };
    const proxied = new URL(redisUrl);
    proxied.host = `127.0.0.1:${port}`;
    const limits = await createRateLimits({ ...off, restPerMinute: 2, redisUrl: proxied.toString() }, logger);
    const tokenId = randomUUID();
    expect(await limits.calls.consume(tokenId)).toEqual({ allowed: true });

    proxy.close();
    for (const s of sockets) s.destroy();
    // Each instance now counts on its own, in memory: still a limit, never an error.
    const verdicts = [];
    for (let i = 0; i < 3; i++) verdicts.push(await limits.calls.consume(tokenId));
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, false]);
    await limits.close();
  });
});
