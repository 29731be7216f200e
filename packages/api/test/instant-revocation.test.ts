// Two app instances on one PostgreSQL database with caches that would trust a credential for 10 minutes: a key
// deleted or rotated, a token or gateway token revoked, or a sign-out through one instance is announced by the
// changing statement (LISTEN/NOTIFY), and the other stops trusting it at once, not after the TTL. With the
// listening connections cut, each instance connects again and forgets everything it cached, since what was
// announced meanwhile is lost. PGlite is one process's database, so this runs on PostgreSQL.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCaller, typedCallContext } from "../src";
import { createGatewayToken, listGatewayTokens, revokeGatewayToken } from "../src/admin/gateway-tokens";
import { api, createWorkspaceFixture, type Harness, type WorkspaceFixture } from "../src/testing";
import { startTwoInstances, type TwoInstances } from "./support/app-instances";

/** Far longer than the test: an answer that changes in time came from the announcement, never from expiry. */
const ttlMs = 10 * 60_000;
/** What "at once" may take on a loaded machine: a notification, and one request over loopback. */
const promptlyMs = 2_000;

let instances: TwoInstances;
let a: Harness;
let b: Harness;
let ws: WorkspaceFixture;
let gateway: string;

beforeAll(async () => {
  const caches = { keyCacheTtlMs: ttlMs, tokenCacheTtlMs: ttlMs };
  instances = await startTwoInstances({ a: caches, b: caches });
  ({ a, b } = instances);
  ws = await createWorkspaceFixture(a.services);
  gateway = await createGatewayToken(a.services, { name: "instant revocation" });
});
afterAll(() => instances?.close());

type Pair = { id: string; key: string; secret: string };

async function createKey(): Promise<Pair> {
  const res = await api(a.baseUrl, "POST", `/repo/${ws.repo.id}/ai/apikey`, {
    token: ws.MEMBER.token,
    body: { name: "instant", aiType: "GOOGLE" },
  });
  expect(res.status).toBe(201);
  return res.json;
}

const verify = async (via: Harness, pair: Pair, token = gateway) =>
  (await api(via.baseUrl, "POST", "/ai/apikey/verify", { token, body: { key: pair.key, secret: pair.secret } })).json;

/** Asks until `settled` holds and returns how long that took; fails once `promptlyMs` is past. */
async function msUntil(ask: () => Promise<unknown>, settled: (answer: unknown) => boolean): Promise<number> {
  const since = Date.now();
  for (;;) {
    const answer = await ask();
    if (settled(answer)) return Date.now() - since;
    if (Date.now() - since > promptlyMs) throw new Error(`still ${JSON.stringify(answer)} after ${promptlyMs} ms`);
    await sleep(5);
  }
}

const invalid = (answer: unknown) => JSON.stringify(answer) === JSON.stringify({ valid: false, code: "INVALID" });

it("a key deleted through A answers INVALID on B at once, though B had it cached for 10 minutes", async () => {
  const key = await createKey();
  expect((await verify(b, key)).valid).toBe(true); // cached on b
  const res = await api(a.baseUrl, "DELETE", `/repo/${ws.repo.id}/ai/apikey/${key.id}`, { token: ws.MEMBER.token });
  expect(res.status).toBe(200);
  const lag = await msUntil(() => verify(b, key), invalid);
  console.info(`instant revocation: a delete through a reached b after ${lag} ms (TTL ${ttlMs} ms)`);
});

it("a rotation with no grace through A answers EXPIRED for the old key on B at once", async () => {
  const key = await createKey();
  expect((await verify(b, key)).valid).toBe(true);
  const res = await api(a.baseUrl, "POST", `/repo/${ws.repo.id}/ai/apikey/${key.id}/rotate`, {
    token: ws.MEMBER.token,
    body: { graceSeconds: 0 },
  });
  expect(res.status).toBe(201);
  await msUntil(
    () => verify(b, key),
    (answer) => (answer as { code?: string }).code === "EXPIRED",
  );
  expect((await verify(b, res.json)).valid).toBe(true);
});

it("a personal token revoked through A (by its holder) is refused by B at once", async () => {
  const person = createCaller(typedCallContext(a.services, ws.MEMBER.actor));
  const { token, apiToken } = await person.createApiToken({ name: "revoked soon" });
  const list = () => api(b.baseUrl, "GET", `/repo/${ws.repo.id}/ai/apikey`, { token }).then((res) => res.status);
  expect(await list()).toBe(200); // cached on b
  await person.revokeApiToken({ id: apiToken.id });
  await msUntil(list, (status) => status === 401);
});

it("a gateway token revoked by the operator (through A's services) is refused by B at once", async () => {
  const doomed = await createGatewayToken(a.services, { name: "revoked soon" });
  const key = await createKey();
  expect((await verify(b, key, doomed)).valid).toBe(true); // the token is cached on b
  const listed = (await listGatewayTokens(a.services)).find((t) => t.name === "revoked soon")!;
  await revokeGatewayToken(a.services, { id: listed.id });
  await msUntil(
    () =>
      api(b.baseUrl, "POST", "/ai/apikey/verify", { token: doomed, body: { key: key.key, secret: key.secret } }).then(
        (res) => res.status,
      ),
    (status) => status === 401,
  );
});

it("a sign-out through A ends the user's sessions on B at once", async () => {
  const userId = ws.VIEWER.actor.userId;
  const before = await b.services.sessionVersions.current(userId); // cached on b
  await a.services.sessionVersions.endAll(userId);
  await msUntil(
    () => b.services.sessionVersions.current(userId),
    (version) => version !== before,
  );
  expect(await b.services.sessionVersions.isCurrent(userId, before)).toBe(false);
});

/** The server process ids of both instances' listening connections. */
const listeners = async () =>
  (
    await a.services.db.sql.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'listen repokeys_invalidation'",
    )
  ).map((r) => r.pid);

it("cut listening connections come back, and a delete made while they were down is not trusted on B", async () => {
  const cut = await listeners();
  expect(cut).toHaveLength(2);
  const missed = await createKey();
  const later = await createKey();
  expect((await verify(b, missed)).valid).toBe(true);
  expect((await verify(b, later)).valid).toBe(true);

  await a.services.db.sql.query("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [cut]);
  // Deleted while no instance listens (a reconnection waits 100 ms at least): its announcement reaches nobody.
  const res = await api(a.baseUrl, "DELETE", `/repo/${ws.repo.id}/ai/apikey/${missed.id}`, { token: ws.MEMBER.token });
  expect(res.status).toBe(200);

  const reconnectedIn = await msUntil(listeners, (pids) => {
    const now = pids as number[];
    return now.length === 2 && now.every((pid) => !cut.includes(pid));
  });
  console.info(`instant revocation: both listeners were back ${reconnectedIn} ms after the cut`);
  // Listening again, B emptied its caches: the delete it never heard of is seen, long before the TTL.
  await msUntil(() => verify(b, missed), invalid);
  // And announcements reach it again.
  await api(a.baseUrl, "DELETE", `/repo/${ws.repo.id}/ai/apikey/${later.id}`, { token: ws.MEMBER.token });
  await msUntil(() => verify(b, later), invalid);
});
