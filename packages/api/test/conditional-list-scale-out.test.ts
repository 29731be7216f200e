// The list's ETag across two app instances on one PostgreSQL database: a change made through one instance
// changes the tag the other answers with at once (the version lives in the database, not in a cache).
// PGlite is one process's database, so this test always runs on PostgreSQL.
import { afterAll, beforeAll, expect, it } from "vitest";
import { api, createWorkspaceFixture, type Harness, type WorkspaceFixture } from "../src/testing";
import { startTwoInstances } from "./support/app-instances";

let closeInstances: (() => Promise<void>) | undefined;
let a: Harness;
let b: Harness;
let ws: WorkspaceFixture;

beforeAll(async () => {
  ({ a, b, close: closeInstances } = await startTwoInstances());
  ws = await createWorkspaceFixture(a.services);
});
afterAll(() => closeInstances?.());

const keysPath = () => `/repo/${ws.repo.id}/ai/apikey`;

async function listOn(via: Harness, ifNoneMatch?: string) {
  return api(via.baseUrl, "GET", keysPath(), {
    token: ws.VIEWER.token,
    headers: ifNoneMatch ? { "if-none-match": ifNoneMatch } : {},
  });
}

it("a change through one instance gives a new ETag on the other, for every kind of change", async () => {
  const created = await api(a.baseUrl, "POST", keysPath(), {
    token: ws.MEMBER.token,
    body: { name: "shared", aiType: "OPENAI" },
  });
  expect(created.status).toBe(201);
  const id = created.json.id as string;
  const changes: [string, () => Promise<{ status: number }>][] = [
    [
      "create",
      () => api(a.baseUrl, "POST", keysPath(), { token: ws.MEMBER.token, body: { name: "x", aiType: "AWS" } }),
    ],
    ["rename", () => api(a.baseUrl, "PUT", `${keysPath()}/${id}`, { token: ws.MEMBER.token, body: { name: "y" } })],
    ["rotate", () => api(a.baseUrl, "POST", `${keysPath()}/${id}/rotate`, { token: ws.MEMBER.token, body: {} })],
    ["delete", () => api(a.baseUrl, "DELETE", `${keysPath()}/${id}`, { token: ws.MEMBER.token })],
  ];
  for (const [kind, change] of changes) {
    // Instance b answers first, so whatever it could cache is warm.
    const before = await listOn(b);
    const etag = before.headers.get("etag")!;
    expect((await listOn(b, etag)).status, kind).toBe(304);
    expect((await listOn(a, etag)).status, kind).toBe(304);
    expect((await change()).status, kind).toBeLessThan(300);
    const after = await listOn(b, etag);
    expect(after.status, kind).toBe(200);
    expect(after.headers.get("etag"), kind).not.toBe(etag);
    expect(after.text, kind).not.toBe(before.text);
    expect((await listOn(a, after.headers.get("etag")!)).status, kind).toBe(304);
  }
});
