// Usage per key. Verifications are counted in memory and flushed in one statement; the list shows
// the last 30 UTC days with include=usage (REST and tRPC) and is unchanged without it. REST calls go through
// Prism (support/checked-harness.ts), so every answer with usage is checked against /openapi.json too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller, createLogger, KeyUsage, keyUsageDays, typedCallContext } from "../src";
import { createGatewayToken } from "../src/admin/gateway-tokens";
import { api, createWorkspaceFixture, type Harness, type WorkspaceFixture } from "../src/testing";
import { startCheckedHarness } from "./support/checked-harness";

let h: Harness;
let ws: WorkspaceFixture;
let outsider: WorkspaceFixture;
let gateway: string;
let base: string;
let closeHarness: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ h, base, close: closeHarness } = await startCheckedHarness());
  ws = await createWorkspaceFixture(h.services);
  outsider = await createWorkspaceFixture(h.services);
  gateway = await createGatewayToken(h.services, { name: "usage gateway" });
});
afterAll(() => closeHarness?.());

const keysPath = (repoId = ws.repo.id) => `/repo/${repoId}/ai/apikey`;
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

async function createKey(name: string, body: Record<string, unknown> = {}) {
  const res = await api(base, "POST", keysPath(), {
    token: ws.MEMBER.token,
    body: { name, aiType: "OPENAI", ...body },
  });
  expect(res.status).toBe(201);
  return res.json as { id: string; key: string; secret: string };
}

async function verify(key: string, secret: string, times = 1) {
  for (let i = 0; i < times; i++) {
    const res = await api(h.baseUrl, "POST", "/ai/apikey/verify", { token: gateway, body: { key, secret } });
    expect(res.status).toBe(200);
  }
}

async function listText(query = "", token = ws.VIEWER.token, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${keysPath()}${query}`, {
    headers: { authorization: `Bearer ${token}`, accept: "application/json", ...headers },
  });
  return { status: res.status, etag: res.headers.get("etag"), text: await res.text() };
}

type Usage = {
  from: string;
  to: string;
  keys: { apikeyId: string; valid: number; refused: number; days: { day: string; valid: number; refused: number }[] }[];
};

async function usageOf(query = "?include=usage&limit=1000"): Promise<Usage> {
  const res = await listText(query);
  expect(res.status).toBe(200);
  return JSON.parse(res.text).usage;
}

const storedUsage = () =>
  h.services.db.sql.query<{ keyId: string; day: string; valid: string; refused: string }>(
    `SELECT "keyId", to_char(day, 'YYYY-MM-DD') AS day, valid::text, refused::text FROM "KeyUsageDay" ORDER BY 1, 2`,
  );

describe("usage per key", () => {
  it("counts each live key's verifications, valid and refused, and shows them after a flush over REST and tRPC", async () => {
    const busy = await createKey("busy");
    const quiet = await createKey("quiet");
    const gone = await createKey("gone");
    await verify(busy.key, busy.secret, 5);
    await verify(busy.key, quiet.secret, 2);
    await verify(gone.key, gone.secret);
    expect((await api(base, "DELETE", `${keysPath()}/${gone.id}`, { token: ws.MEMBER.token })).status).toBe(200);
    // A deleted key's and a made-up key's attempts count nowhere.
    await verify(gone.key, gone.secret, 3);
    await verify("rk_doesnotexist000000000000", busy.secret);

    // Nothing is written per verification: the counts wait for the flush.
    expect(await storedUsage()).toEqual([]);
    await h.services.keyUsage.flush();
    expect(await storedUsage()).toEqual(
      [
        { keyId: busy.id, day: today(), valid: "5", refused: "2" },
        { keyId: gone.id, day: today(), valid: "1", refused: "0" },
      ].sort((a, b) => a.keyId.localeCompare(b.keyId)),
    );

    const usage = await usageOf();
    expect(usage.to).toBe(today());
    expect(usage.from).toBe(daysAgo(keyUsageDays - 1));
    // One entry per listed key, in the list's order (newest first); the deleted key is not listed.
    expect(usage.keys).toEqual([
      { apikeyId: quiet.id, valid: 0, refused: 0, days: [] },
      { apikeyId: busy.id, valid: 5, refused: 2, days: [{ day: today(), valid: 5, refused: 2 }] },
    ]);

    // A second flush adds to the day's row.
    await verify(quiet.key, quiet.secret, 4);
    await h.services.keyUsage.flush();
    const caller = createCaller(typedCallContext(h.services, ws.VIEWER.actor));
    const typed = await caller.listAiApiKeys({ repoId: ws.repo.id, include: "usage", limit: 1000 });
    expect(typed.usage?.keys[0]).toEqual({
      apikeyId: quiet.id,
      valid: 4,
      refused: 0,
      days: [{ day: today(), valid: 4, refused: 0 }],
    });
    // tRPC over HTTP, as the web app asks.
    const input = encodeURIComponent(JSON.stringify({ repoId: ws.repo.id, include: "usage", limit: 1000 }));
    const overHttp = await api(h.baseUrl, "GET", `/api/trpc/listAiApiKeys?input=${input}`, { token: ws.VIEWER.token });
    expect(overHttp.status).toBe(200);
    expect(overHttp.json.result.data.usage).toEqual(typed.usage);
    // A page's usage is that page's keys'.
    const page = JSON.parse((await listText("?include=usage&limit=1")).text);
    expect(page.usage.keys.map((k: { apikeyId: string }) => k.apikeyId)).toEqual([page.apiKeys[0].id]);
  });

  it("counts an expired key's attempts as refused", async () => {
    const expiring = await createKey("expiring");
    await h.services.db.sql.query(`UPDATE "RepoAiApiKey" SET "expiresAt" = now() - interval '1 second' WHERE id = $1`, [
      expiring.id,
    ]);
    h.services.keyVerifier.forget(expiring.key);
    await verify(expiring.key, expiring.secret, 2);
    await h.services.keyUsage.flush();
    const entry = (await usageOf()).keys.find((k) => k.apikeyId === expiring.id);
    expect(entry).toMatchObject({ valid: 0, refused: 2 });
  });

  it("shows the last 30 UTC days only", async () => {
    const old = await createKey("old");
    await h.services.db.sql.query(
      `INSERT INTO "KeyUsageDay" ("keyId", day, valid, refused) VALUES ($1, $2, 7, 0), ($1, $3, 3, 1), ($1, $4, 9, 9)`,
      [old.id, daysAgo(keyUsageDays), daysAgo(keyUsageDays - 1), daysAgo(1)],
    );
    const entry = (await usageOf()).keys.find((k) => k.apikeyId === old.id);
    expect(entry).toEqual({
      apikeyId: old.id,
      valid: 12,
      refused: 10,
      days: [
        { day: daysAgo(keyUsageDays - 1), valid: 3, refused: 1 },
        { day: daysAgo(1), valid: 9, refused: 9 },
      ],
    });
  });

  it("leaves Flashback's list byte for byte as it was without include, and its ETag and 304 with it", async () => {
    const plain = await listText();
    expect(plain.status).toBe(200);
    const parsed = JSON.parse(plain.text);
    expect(Object.keys(parsed)).toEqual(["success", "apiKeys"]);
    expect(plain.text).toBe(JSON.stringify(parsed));
    expect(plain.text).not.toContain("usage");
    expect(Object.keys(parsed.apiKeys[0])).toEqual([
      "id",
      "name",
      "repoId",
      "key",
      "aiType",
      "createdAt",
      "deletedAt",
      "expiresAt",
      "lastUsedAt",
      "version",
      "replacedById",
    ]);
    expect((await listText("", ws.VIEWER.token, { "if-none-match": plain.etag! })).status).toBe(304);

    // With usage (a page): the same keys, and no ETag and never a 304, since the counts change without a key changing.
    const withUsage = await listText("?include=usage&limit=1000", ws.VIEWER.token, { "if-none-match": plain.etag! });
    expect(withUsage.status).toBe(200);
    expect(withUsage.etag).toBeNull();
    const both = JSON.parse(withUsage.text);
    expect(Object.keys(both)).toEqual(["success", "apiKeys", "nextCursor", "usage"]);
    expect(both.apiKeys).toEqual(parsed.apiKeys);
    expect(withUsage.text).toBe(JSON.stringify(both));
  });

  it("ignores include names it does not know, as it ignores unknown parameters, and shows a stranger nothing", async () => {
    const plain = (await listText()).text;
    for (const query of ["?include=secrets", "?include=", "?include=usages", `?include=${"x,".repeat(500)}`]) {
      const res = await listText(query);
      expect(res.status, query).toBe(200);
      expect(res.text, query).toBe(plain);
    }
    expect((await usageOf("?include=secrets,usage&limit=1000")).keys.length).toBe(JSON.parse(plain).apiKeys.length);
    // Like limit and cursor: a parameter it reads may be given once, and is text of bounded length.
    for (const query of [
      "?limit=5&include=usage&include=usage",
      `?limit=5&include=usage,${"x".repeat(1_000)}`,
      "?limit=5&include=usage%00",
    ]) {
      const refused = await listText(query);
      expect(refused.status, query).toBe(400);
      expect(JSON.parse(refused.text)).toMatchObject({ success: false, message: expect.stringMatching(/include/) });
    }

    const stranger = await listText("?include=usage&limit=5", outsider.OWNER.token);
    expect(stranger.status).toBe(403);
    expect(stranger.text).not.toContain('"usage"');
    const caller = createCaller(typedCallContext(h.services, outsider.OWNER.actor));
    await expect(caller.listAiApiKeys({ repoId: ws.repo.id, include: "usage", limit: 5 })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("answers usage by pages only: 400 with the rule without limit or cursor, over REST and tRPC", async () => {
    for (const query of ["?include=usage", "?include=secrets,usage"]) {
      const refused = await listText(query);
      expect(refused.status, query).toBe(400);
      expect(JSON.parse(refused.text)).toEqual({
        success: false,
        code: "BAD_REQUEST",
        message: expect.stringMatching(/^include=usage needs a page: pass limit \(1…1000\)/),
      });
    }
    const caller = createCaller(typedCallContext(h.services, ws.VIEWER.actor));
    await expect(caller.listAiApiKeys({ repoId: ws.repo.id, include: "usage" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    // A page is at most 1,000 keys; a cursor alone is a page of 100.
    expect((await listText("?include=usage&limit=1001")).status).toBe(400);
    const first = JSON.parse((await listText("?include=usage&limit=1")).text);
    const next = await listText(`?include=usage&cursor=${first.nextCursor}`);
    expect(next.status).toBe(200);
    expect(JSON.parse(next.text).usage.keys.length).toBe(JSON.parse(next.text).apiKeys.length);
  });
});

describe("flushing", () => {
  it("keeps the counts of a failed flush for the next one", async () => {
    const key = await createKey("through a failure");
    await verify(key.key, key.secret, 3);
    // A real failure of the real statement: its table is missing for a moment.
    await h.services.db.sql.query(`ALTER TABLE "KeyUsageDay" RENAME TO "KeyUsageDayAway"`);
    try {
      await expect(h.services.keyUsage.flush()).rejects.toThrow(/KeyUsageDay/);
      await verify(key.key, key.secret, 2);
    } finally {
      await h.services.db.sql.query(`ALTER TABLE "KeyUsageDayAway" RENAME TO "KeyUsageDay"`);
    }
    await h.services.keyUsage.flush();
    expect((await usageOf()).keys.find((k) => k.apikeyId === key.id)).toMatchObject({ valid: 5, refused: 0 });
  });

  it("writes what is held on close, skips keys deleted for good meanwhile, and holds a bounded number of pairs", async () => {
    const [a, b, c] = [await createKey("a"), await createKey("b"), await createKey("c")];
    const usage = new KeyUsage(h.services.db.sql, createLogger("silent"), {
      flushIntervalMs: 600_000,
      maxPending: 2,
      metrics: h.services.metrics,
    });
    usage.start();
    const dropped = async () =>
      (await h.services.metrics.registry.getSingleMetricAsString("repokeys_key_usage_dropped_total")).match(
        /total (\d+)/,
      )![1];
    const before = Number(await dropped());
    usage.count(a.id, "valid");
    usage.count(b.id, "refused");
    usage.count(c.id, "valid"); // a third pair: past the bound, not counted
    usage.count(a.id, "valid"); // a key held goes on counting
    expect(Number(await dropped())).toBe(before + 1);
    // b's row goes for good (as when its repository is deleted): the flush writes the others.
    await h.services.db.sql.query(`DELETE FROM "RepoAiApiKey" WHERE id = $1`, [b.id]);
    await usage.close();
    const rows = (await storedUsage()).filter((r) => [a.id, b.id, c.id].includes(r.keyId));
    expect(rows).toEqual([{ keyId: a.id, day: today(), valid: "2", refused: "0" }]);
  });
});
