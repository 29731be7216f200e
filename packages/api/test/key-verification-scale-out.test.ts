// Two app instances on one PostgreSQL database: a key deleted, rotated or renamed through one instance stops
// verifying (or shows its new name) at once there, and within KEY_CACHE_TTL_MS on the other, which had it
// cached and does not hear announcements (as when its listening connection is down; instant-revocation.test.ts
// has them heard). PGlite is one process's database, so this runs on PostgreSQL (TEST_DATABASE_URL's, or our own).
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createGatewayToken } from "../src/admin/gateway-tokens";
import { api, createWorkspaceFixture, type Harness, type WorkspaceFixture } from "../src/testing";
import { startTwoInstances, type TwoInstances } from "./support/app-instances";

/** The stated bound under test: how long the other instance may keep answering from its cache. */
const keyCacheTtlMs = 1_000;
/** Polling step and what one verification over loopback may take on a loaded machine. */
const pollMs = 25;
const requestAllowanceMs = 250;

let instances: TwoInstances;
let a: Harness;
let b: Harness;
let ws: WorkspaceFixture;
let gateway: string;

beforeAll(async () => {
  instances = await startTwoInstances({ a: { keyCacheTtlMs, listen: false }, b: { keyCacheTtlMs } });
  ({ a, b } = instances);
  ws = await createWorkspaceFixture(a.services);
  gateway = await createGatewayToken(a.services, { name: "scale-out" });
});
afterAll(() => instances?.close());

async function createKey() {
  const res = await api(a.baseUrl, "POST", `/repo/${ws.repo.id}/ai/apikey`, {
    token: ws.MEMBER.token,
    body: { name: "shared", aiType: "GOOGLE" },
  });
  return res.json as { id: string; key: string; secret: string };
}

type Answer = { valid: boolean; code?: string; name?: string };

const verify = async (via: Harness, pair: { key: string; secret: string }): Promise<Answer> =>
  (
    await api(via.baseUrl, "POST", "/ai/apikey/verify", {
      token: gateway,
      body: { key: pair.key, secret: pair.secret },
    })
  ).json;

/** Polls instance `a` until `settled` holds; returns how long after `since` that was. */
async function msUntil(since: number, pair: { key: string; secret: string }, settled: (answer: Answer) => boolean) {
  for (;;) {
    const answer = await verify(a, pair);
    if (settled(answer)) return Date.now() - since;
    if (Date.now() - since > 10 * keyCacheTtlMs) throw new Error(`still ${JSON.stringify(answer)}`);
    await sleep(pollMs);
  }
}

it("a key deleted through one instance stops at once there and within KEY_CACHE_TTL_MS on the other", async () => {
  const key = await createKey();
  expect((await verify(a, key)).valid).toBe(true); // cached on a
  expect((await verify(b, key)).valid).toBe(true); // cached on b
  const res = await api(b.baseUrl, "DELETE", `/repo/${ws.repo.id}/ai/apikey/${key.id}`, { token: ws.MEMBER.token });
  const deletedAt = Date.now();
  expect(res.status).toBe(200);
  expect(await verify(b, key)).toEqual({ valid: false, code: "INVALID" });
  const lag = await msUntil(deletedAt, key, (answer) => answer.valid === false);
  expect(await verify(a, key)).toEqual({ valid: false, code: "INVALID" });
  console.info(`key verification: a delete through b reached a after ${lag} ms (bound ${keyCacheTtlMs} ms)`);
  expect(lag).toBeLessThanOrEqual(keyCacheTtlMs + requestAllowanceMs);
});

it("a rotation with no grace ends the old key at once there and within the bound on the other", async () => {
  const key = await createKey();
  expect((await verify(a, key)).valid).toBe(true);
  const res = await api(b.baseUrl, "POST", `/repo/${ws.repo.id}/ai/apikey/${key.id}/rotate`, {
    token: ws.MEMBER.token,
    body: { graceSeconds: 0 },
  });
  const rotatedAt = Date.now();
  expect(res.status).toBe(201);
  expect(await verify(b, key)).toEqual({ valid: false, code: "EXPIRED" });
  const lag = await msUntil(rotatedAt, key, (answer) => answer.code === "EXPIRED");
  expect(lag).toBeLessThanOrEqual(keyCacheTtlMs + requestAllowanceMs);
  expect((await verify(a, res.json)).valid).toBe(true);
});

it("a rename reaches the other instance's answers within the bound", async () => {
  const key = await createKey();
  expect((await verify(a, key)).name).toBe("shared");
  await api(b.baseUrl, "PUT", `/repo/${ws.repo.id}/ai/apikey/${key.id}`, {
    token: ws.MEMBER.token,
    body: { name: "renamed" },
  });
  const renamedAt = Date.now();
  expect((await verify(b, key)).name).toBe("renamed");
  const lag = await msUntil(renamedAt, key, (answer) => answer.name === "renamed");
  expect(lag).toBeLessThanOrEqual(keyCacheTtlMs + requestAllowanceMs);
});
