// PostgreSQL goes away in the middle of a stream of renames and comes back. This brings its own PostgreSQL
// server (never the shared one, which other tests use), so it runs the same on PGlite-only and PostgreSQL runs.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { api, createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";
import { eventChainProblems } from "./support/event-chain";
import { leakedInternals } from "./support/leaks";
import { type PostgresCluster, startPostgresCluster } from "./support/postgres-cluster";

/**
 * The documented bound on an answer while the database is away: the pool's connection timeout (5 s) plus
 * slack for a busy machine. In practice a refused connection fails at once.
 */
const answerBoundMs = 8_000;
/** How long the app may take to serve again once PostgreSQL accepts connections. */
const recoveryBoundMs = 10_000;

let cluster: PostgresCluster;
let h: Harness;
let ws: WorkspaceFixture;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  h = await startHarness({ serverUrl: cluster.serverUrl });
  ws = await createWorkspaceFixture(h.services);
});
afterAll(async () => {
  await h?.close();
  await cluster?.dispose();
});

type Phase = "up" | "down" | "restarted";
interface Outcome {
  phase: Phase;
  keyId: string;
  name: string;
  status: number;
  ms: number;
  contentType: string | null;
  json: { success?: boolean; message?: string } | undefined;
  text: string;
  retryAfter: string | null;
}

it("answers every rename with JSON within the bound while PostgreSQL is down, recovers alone, and loses no event", async () => {
  const keyIds: string[] = [];
  for (let i = 0; i < 6; i++) {
    const created = await api(h.baseUrl, "POST", `/repo/${ws.repo.id}/ai/apikey`, {
      token: ws.MEMBER.token,
      body: { name: `fault-${i}`, aiType: "OPENAI" },
    });
    expect(created.status).toBe(201);
    keyIds.push(created.json.id);
  }

  let phase: Phase = "up";
  let streaming = true;
  const outcomes: Outcome[] = [];
  const writer = async (w: number) => {
    for (let n = 0; streaming; n++) {
      const keyId = keyIds[(w + n) % keyIds.length]!;
      const name = `w${w}-${n}`;
      const sentIn = phase;
      const started = performance.now();
      const res = await api(h.baseUrl, "PUT", `/repo/${ws.repo.id}/ai/apikey/${keyId}`, {
        token: [ws.OWNER, ws.ADMIN, ws.MEMBER][w % 3]!.token,
        body: { name },
      });
      outcomes.push({
        phase: sentIn,
        keyId,
        name,
        status: res.status,
        ms: performance.now() - started,
        contentType: res.headers.get("content-type"),
        json: res.json,
        text: res.text,
        retryAfter: res.headers.get("retry-after"),
      });
      // A client that backs off a little, as a real one would; keeps the outage phase from spinning.
      if (res.status !== 200) await sleep(50);
    }
  };
  const writers = Array.from({ length: 6 }, (_, w) => writer(w));

  await sleep(1_500);
  await cluster.stop();
  phase = "down";
  await sleep(3_000);
  await cluster.start();
  const restartedAt = performance.now();
  phase = "restarted";
  // Serving again, without restarting the app: wait for the first success after the restart.
  while (!outcomes.some((o) => o.phase === "restarted" && o.status === 200)) {
    expect(performance.now() - restartedAt, "the app did not recover after PostgreSQL came back").toBeLessThan(
      recoveryBoundMs,
    );
    await sleep(100);
  }
  await sleep(1_000);
  streaming = false;
  await Promise.all(writers);

  const count = (p: Phase, status?: number) =>
    outcomes.filter((o) => o.phase === p && (status === undefined || o.status === status)).length;
  console.info(
    `faults: ${outcomes.length} renames; up ${count("up", 200)}/${count("up")} ok; down ${count("down", 503)}/${count("down")} answered 503; ` +
      `restarted ${count("restarted", 200)}/${count("restarted")} ok; slowest answer ${Math.round(Math.max(...outcomes.map((o) => o.ms)))} ms`,
  );

  for (const o of outcomes) {
    expect(o.contentType, o.text).toMatch(/^application\/json/);
    expect(o.json, o.text).toBeDefined();
    expect(o.ms, `${o.status} ${o.text}`).toBeLessThan(answerBoundMs);
    expect(leakedInternals(o.text), o.text).toEqual([]);
    // 200, or the database is away: 503 with Retry-After and a message saying so. Never a bare 500.
    expect([200, 503], o.text).toContain(o.status);
    if (o.status === 503) {
      expect(o.json).toMatchObject({ success: false, message: expect.stringMatching(/database is unavailable/) });
      expect(Number(o.retryAfter)).toBeGreaterThan(0);
    }
  }
  expect(count("up", 200)).toBeGreaterThan(10);
  expect(count("down", 503)).toBeGreaterThan(10);
  expect(count("restarted", 200)).toBeGreaterThan(0);

  // Every other path works again too, on the same process and pool.
  const list = await api(h.baseUrl, "GET", `/repo/${ws.repo.id}/ai/apikey`, { token: ws.VIEWER.token });
  expect(list.status).toBe(200);
  expect((await api(h.baseUrl, "POST", "/systemevent", { token: ws.VIEWER.token, body: {} })).status).toBe(200);

  // No change without its event, no event without its change.
  expect(await eventChainProblems(h.services.db)).toEqual([]);
  // Every acknowledged rename is in its key's history. (A 503 rename may or may not have been applied,
  // exactly as a client that lost the connection cannot know; the chain check above covers it either way.)
  const events = await h.services.db.prisma.systemEvent.findMany({ where: { event: "updated" } });
  const recorded = new Set(
    events.map((e) => `${e.contextId}/${(e.jsonData as { after: { name: string } }).after.name}`),
  );
  const acknowledged = outcomes.filter((o) => o.status === 200).map((o) => `${o.keyId}/${o.name}`);
  expect(acknowledged.filter((a) => !recorded.has(a))).toEqual([]);
  const attempted = new Set(outcomes.map((o) => `${o.keyId}/${o.name}`));
  expect([...recorded].filter((r) => !attempted.has(r))).toEqual([]);
});
