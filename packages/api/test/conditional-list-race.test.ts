// The list's ETag under concurrent writers on several instances, racing the readers: a 304 is
// never served for a list that changed. Writers on three instances rename, create and delete keys of one
// repository, and verify keys (which stamps their first lastUsedAt), in storms with common pauses so that
// readers get both 304s and 200s; readers on every instance send If-None-Match with the last tag they were given.
// A check is stale when a 304 confirms a list that lacks a change whose answer had arrived before the
// conditional request was sent. PGlite is one process's database, so this test always runs on PostgreSQL.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { api, createGatewayToken, createWorkspaceFixture, type Harness, type WorkspaceFixture } from "../src/testing";
import { startInstances } from "./support/app-instances";

let instances: Harness[];
let closeInstances: (() => Promise<void>) | undefined;
let ws: WorkspaceFixture;

beforeAll(async () => {
  const started = await startInstances([{}, {}, {}]);
  instances = started.instances;
  closeInstances = started.close;
  ws = await createWorkspaceFixture(instances[0]!.services);
}, 120_000);
afterAll(() => closeInstances?.());

/** RACE_CHECKS makes the race shorter (CI) or longer; 10,000 by default. */
const checksWanted = Number(process.env.RACE_CHECKS) || 10_000;
const renamedKeys = 24;
const writersPerInstance = 1;
/** Writers change the list in storms of this length, then all pause as long, so that tags also hold. */
const phaseMs = 50;
const readersPerInstance = 2;

const keysPath = () => `/repo/${ws.repo.id}/ai/apikey`;

/** What had answered before a conditional request was sent: every later list must show at least this. */
interface Done {
  /** key id → the highest rename number whose answer arrived. */
  renamed: Map<string, number>;
  /** ids whose creation / deletion answered, in order; a snapshot takes the lengths. */
  created: string[];
  deleted: string[];
  /** ids whose deletion was sent: it may have committed before its answer arrives. */
  deleting: Set<string>;
}

type Listed = { id: string; name: string }[];

it(`serves no stale 304 over ${checksWanted.toLocaleString("en")} checks with writers on several instances`, async () => {
  const owner = ws.MEMBER.token;
  const create = async (via: Harness, name: string) => {
    const res = await api(via.baseUrl, "POST", keysPath(), { token: owner, body: { name, aiType: "OPENAI" } });
    expect(res.status).toBe(201);
    return res.json as { id: string; key: string; secret: string };
  };
  const keys: { id: string; key: string; secret: string }[] = [];
  for (let i = 0; i < renamedKeys; i++) keys.push(await create(instances[0]!, `k${i}#0`));
  const gateway = await createGatewayToken(instances[0]!.services, { name: "race gateway" });
  const done: Done = { renamed: new Map(keys.map((k) => [k.id, 0])), created: [], deleted: [], deleting: new Set() };

  let stop = false;
  const counts = { checks: 0, notModified: 0, changed: 0, stale: 0, sameTag: 0, writes: 0 };
  const staleExamples: string[] = [];

  // Each rename writer owns its keys, so a key's renames are ordered and "the highest answered" is well defined.
  const writers = instances.flatMap((via, i) =>
    Array.from({ length: writersPerInstance }, async (_, j) => {
      const w = i * writersPerInstance + j;
      const mine = keys.filter((_, n) => n % (instances.length * writersPerInstance) === w);
      let n = 0;
      while (!stop) {
        const inPhase = Date.now() % (2 * phaseMs);
        if (inPhase >= phaseMs) {
          await sleep(2 * phaseMs - inPhase);
          continue;
        }
        for (let b = 0; b < 2 && !stop; b++) {
          const key = mine[n++ % mine.length]!;
          const next = done.renamed.get(key.id)! + 1;
          const res = await api(via.baseUrl, "PUT", `${keysPath()}/${key.id}`, {
            token: owner,
            body: { name: `${key.id}#${next}` },
          });
          expect(res.status).toBe(200);
          done.renamed.set(key.id, next);
          counts.writes++;
        }
        if (w === 0) {
          // Creates and deletes change the list's length; a verification stamps a fresh key's first use.
          const fresh = await create(via, `fresh ${n}`);
          done.created.push(fresh.id);
          await api(via.baseUrl, "POST", "/ai/apikey/verify", {
            token: gateway,
            body: { key: fresh.key, secret: fresh.secret },
          });
          if (done.created.length > 3) {
            const old = done.created[done.created.length - 4]!;
            done.deleting.add(old);
            const res = await api(via.baseUrl, "DELETE", `${keysPath()}/${old}`, { token: owner });
            expect(res.status).toBe(200);
            done.deleted.push(old);
          }
          counts.writes += 2;
        }
      }
    }),
  );

  const staleness = (listed: Listed, before: { renamed: Map<string, number>; created: number; deleted: number }) => {
    const byId = new Map(listed.map((k) => [k.id, k.name]));
    for (const [id, number] of before.renamed) {
      const name = byId.get(id);
      const shown = name ? Number(name.split("#")[1]) : -1;
      if (shown < number) return `key ${id} shows rename ${shown}, rename ${number} had answered`;
    }
    for (const id of done.created.slice(0, before.created))
      if (!byId.has(id) && !done.deleting.has(id)) return `created key ${id} missing`;
    for (const id of done.deleted.slice(0, before.deleted)) if (byId.has(id)) return `deleted key ${id} still listed`;
    return null;
  };

  const readers = instances.flatMap((via) =>
    Array.from({ length: readersPerInstance }, async () => {
      const first = await api(via.baseUrl, "GET", keysPath(), { token: ws.VIEWER.token });
      let etag = first.headers.get("etag")!;
      let listed = first.json.apiKeys as Listed;
      while (counts.checks < checksWanted) {
        const before = {
          renamed: new Map(done.renamed),
          created: done.created.length,
          deleted: done.deleted.length,
        };
        const res = await api(via.baseUrl, "GET", keysPath(), {
          token: ws.VIEWER.token,
          headers: { "if-none-match": etag },
        });
        counts.checks++;
        if (res.status === 304) {
          counts.notModified++;
          const why = staleness(listed, before);
          if (why) {
            counts.stale++;
            if (staleExamples.length < 5) staleExamples.push(why);
          }
          continue;
        }
        expect(res.status).toBe(200);
        counts.changed++;
        // A 200 always carries a new tag: the old one no longer stands for the list.
        if (res.headers.get("etag") === etag) counts.sameTag++;
        etag = res.headers.get("etag")!;
        listed = res.json.apiKeys as Listed;
      }
    }),
  );

  await Promise.all(readers);
  stop = true;
  await Promise.all(writers);
  console.info("conditional-list race:", counts);

  expect(staleExamples).toEqual([]);
  expect(counts.stale).toBe(0);
  expect(counts.sameTag).toBe(0);
  expect(counts.checks).toBeGreaterThanOrEqual(checksWanted);
  // Both answers were exercised: tags held between bursts, and changed under them.
  expect(counts.notModified).toBeGreaterThan(checksWanted / 10);
  expect(counts.changed).toBeGreaterThan(checksWanted / 10);
  expect(counts.writes).toBeGreaterThan(500);
}, 300_000);
