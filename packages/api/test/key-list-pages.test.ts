// GET /repo/{repoId}/ai/apikey?limit=…&cursor=…: a bounded page for clients that ask,
// Flashback's whole list, unchanged, for those that do not. Through Prism, so both answers match the OpenAPI
// document, and through tRPC, which takes the same input.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller, typedCallContext } from "../src";
import { api, createWorkspaceFixture, type Harness, type WorkspaceFixture } from "../src/testing";
import { startCheckedHarness } from "./support/checked-harness";

let h: Harness;
let ws: WorkspaceFixture;
let outsider: WorkspaceFixture;
/** REST calls go through Prism (support/checked-harness.ts): every answer is checked against /openapi.json. */
let base: string;
let closeHarness: (() => Promise<void>) | undefined;
const created: string[] = [];

beforeAll(async () => {
  ({ h, base, close: closeHarness } = await startCheckedHarness());
  ws = await createWorkspaceFixture(h.services);
  outsider = await createWorkspaceFixture(h.services);
  // Several keys in one millisecond: the order's tie-break (the id) must page them without loss or repeat.
  const caller = createCaller(typedCallContext(h.services, ws.MEMBER.actor));
  for (let i = 0; i < 23; i++)
    created.push((await caller.createAiApiKey({ repoId: ws.repo.id, name: `k${i}`, aiType: "OTHER" })).id);
  await h.services.db.sql.query(
    `UPDATE "RepoAiApiKey" SET "createdAt" = date_trunc('second', "createdAt") WHERE "repoId" = $1 AND name LIKE 'k1%'`,
    [ws.repo.id],
  );
});
afterAll(() => closeHarness?.());

const keysPath = (query = "", repoId = ws.repo.id) => `/repo/${repoId}/ai/apikey${query}`;
const get = (query: string, token = ws.MEMBER.token, headers: Record<string, string> = {}) =>
  api(base, "GET", keysPath(query), { token, headers });

describe("the key list by pages", () => {
  it("answers Flashback's whole list, without nextCursor, to a client that sends neither", async () => {
    const res = await get("");
    expect(res.status).toBe(200);
    expect(res.json.apiKeys).toHaveLength(23);
    expect(res.json).not.toHaveProperty("nextCursor");
  });

  it("visits every key once, in the list's order, and ends with nextCursor null", async () => {
    const whole = (await get("")).json.apiKeys.map((k: { id: string }) => k.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`?limit=5${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status, res.text).toBe(200);
      expect(res.json.apiKeys.length).toBeLessThanOrEqual(5);
      seen.push(...res.json.apiKeys.map((k: { id: string }) => k.id));
      cursor = res.json.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(5);
    expect(seen).toEqual(whole);
    expect(new Set(seen)).toEqual(new Set(created));
    // A page that ends exactly at the last key says so: no empty page after it.
    const exact = await get("?limit=23");
    expect(exact.json).toMatchObject({ nextCursor: null });
    expect(exact.json.apiKeys).toHaveLength(23);
  });

  it("takes the same input through tRPC, with a cursor alone meaning pages of 100", async () => {
    const caller = createCaller(typedCallContext(h.services, ws.VIEWER.actor));
    const first = await caller.listAiApiKeys({ repoId: ws.repo.id, limit: 20 });
    expect(first.apiKeys).toHaveLength(20);
    const rest = await caller.listAiApiKeys({ repoId: ws.repo.id, cursor: first.nextCursor! });
    expect(rest).toMatchObject({ nextCursor: null });
    expect(rest.apiKeys).toHaveLength(3);
  });

  it("refuses a limit out of bounds, a repeated one and a cursor it did not give, with 400 and the rule", async () => {
    const cases: [string, RegExp][] = [
      ["?limit=0", /at least 1/],
      ["?limit=1001", /at most 1000/],
      ["?limit=2.5", /whole number/],
      ["?limit=ten", /whole number/],
      ["?limit=1&limit=1000", /limit was given 2 times/],
      ["?cursor=not*base64", /nextCursor this server gave/],
      [
        `?cursor=${Buffer.from("2026-01-01T00:00:00.000Z|x' OR 1=1").toString("base64url")}`,
        /not one this server gave/,
      ],
      [`?cursor=${Buffer.from("yesterday|abc").toString("base64url")}`, /not one this server gave/],
      [`?cursor=${"A".repeat(300)}`, /nextCursor this server gave/],
    ];
    for (const [query, message] of cases) {
      const res = await get(query);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.json.message).toMatch(message);
    }
  });

  it("ignores query parameters it does not know, as before", async () => {
    const res = await get("?include=everything&page=2");
    expect(res.status).toBe(200);
    expect(res.json.apiKeys).toHaveLength(23);
  });

  it("gives each page its own ETag: a 304 only for that same page, unchanged", async () => {
    const first = await get("?limit=5");
    const etag = first.headers.get("etag")!;
    expect(etag).not.toBe((await get("")).headers.get("etag"));
    expect(etag).not.toBe((await get("?limit=6")).headers.get("etag"));
    expect(etag).not.toBe((await get(`?limit=5&cursor=${first.json.nextCursor}`)).headers.get("etag"));
    expect((await get("?limit=5", ws.MEMBER.token, { "if-none-match": etag })).status).toBe(304);
    expect((await get("?limit=6", ws.MEMBER.token, { "if-none-match": etag })).status).toBe(200);
  });

  it("shows a stranger nothing, whatever the cursor", async () => {
    const page = await get("?limit=2");
    const res = await get(`?limit=2&cursor=${page.json.nextCursor}`, outsider.OWNER.token);
    expect(res.status).toBe(403);
  });
});
