// A repository's key list cannot take the database from everyone else: lists run through the bounded read path
// (db.reads), a repository holds at most MAX_KEYS_PER_REPO live keys however many creates race, and within that
// cap Flashback's unpaged list stays whole and byte for byte what it was. On real PostgreSQL (the run's server,
// or one started here): the pool, its reserve and the row lock are what is tested, and PGlite has none of them.

import { reservedConnections } from "@repokeys/db";
import { testDatabaseServerUrl } from "@repokeys/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";
import { type PostgresCluster, startPostgresCluster } from "./support/postgres-cluster";

let cluster: PostgresCluster | undefined;
let serverUrl: string;

beforeAll(async () => {
  serverUrl = testDatabaseServerUrl() ?? "";
  if (!serverUrl) {
    cluster = await startPostgresCluster();
    serverUrl = cluster.serverUrl;
  }
});
afterAll(() => cluster?.dispose());

const keysPath = (repoId: string) => `/repo/${repoId}/ai/apikey`;
const createKey = (h: Harness, token: string, repoId: string, name: string) =>
  api(h.baseUrl, "POST", keysPath(repoId), { token, body: { name, aiType: "OPENAI" } });

describe("parallel key lists", () => {
  let h: Harness;
  let ws: WorkspaceFixture;
  let other: WorkspaceFixture;
  beforeAll(async () => {
    h = await startHarness({ serverUrl });
    ws = await createWorkspaceFixture(h.services);
    other = await createWorkspaceFixture(h.services);
  });
  afterAll(() => h?.close());

  it("leave connections to another workspace's create and the owner's rename while every read slot is busy", async () => {
    const key = (await createKey(h, ws.MEMBER.token, ws.repo.id, "to rename")).json as { id: string };
    const poolMax = h.services.db.poolStats!().max;
    const readSlots = poolMax - reservedConnections(poolMax);
    // Holds the usage table, so that each list with usage holds its connection until the lock goes: the
    // slowest a list can be, without depending on how fast this machine builds one.
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = h.services.db.transaction(async (tx) => {
      await tx.query(`LOCK TABLE "KeyUsageDay" IN ACCESS EXCLUSIVE MODE`);
      locked();
      await released;
    });
    await isLocked;
    const lists = Array.from({ length: poolMax + 10 }, () =>
      api(h.baseUrl, "GET", `${keysPath(ws.repo.id)}?include=usage&limit=1000`, { token: ws.VIEWER.token }),
    );
    try {
      // Statements waiting for the table lock: only the lists read it (the shown text stops before its name).
      const waitingLists = async () => {
        const [row] = await h.services.db.sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%WITH access AS%'`,
        );
        return row!.n;
      };
      await expect.poll(waitingLists, { timeout: 3_000 }).toBe(readSlots);

      const started = Date.now();
      const [created, renamed] = await Promise.all([
        createKey(h, other.MEMBER.token, other.repo.id, "another workspace's key"),
        api(h.baseUrl, "PUT", `${keysPath(ws.repo.id)}/${key.id}`, {
          token: ws.OWNER.token,
          body: { name: "renamed meanwhile" },
        }),
      ]);
      expect(created.status, created.text).toBe(201);
      expect(renamed.status, renamed.text).toBe(200);
      // Well inside the pool's 5 s connection timeout, after which they would have been 503.
      expect(Date.now() - started).toBeLessThan(2_000);
      // The reads still wait for their slots rather than spilling into the reserve.
      expect(await waitingLists()).toBe(readSlots);
    } finally {
      release();
      await holder;
    }
    for (const res of await Promise.all(lists)) expect(res.status, res.text).toBe(200);
  });
});

describe("the cap on a repository's live keys", () => {
  const cap = 5;
  let h: Harness;
  let ws: WorkspaceFixture;
  beforeAll(async () => {
    h = await startHarness({ serverUrl, maxKeysPerRepo: cap });
    ws = await createWorkspaceFixture(h.services);
  });
  afterAll(() => h?.close());

  const liveKeys = async (repoId = ws.repo.id) => {
    const [row] = await h.services.db.sql.query<{ live: number; counted: number }>(
      `SELECT (SELECT count(*)::int FROM "RepoAiApiKey" WHERE "repoId" = $1 AND "deletedAt" IS NULL) AS live,
              (SELECT "liveKeyCount" FROM "Repo" WHERE id = $1) AS counted`,
      [repoId],
    );
    return row!;
  };

  it("is exact when creates race: exactly the cap succeeds, the others get 403 with the rule", async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => createKey(h, ws.MEMBER.token, ws.repo.id, `racer ${i}`)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(cap);
    expect(statuses.filter((s) => s === 403)).toHaveLength(40 - cap);
    expect(results.find((r) => r.status === 403)!.json).toEqual({
      success: false,
      code: "FORBIDDEN",
      message: `This repository already has ${cap} keys (not deleted; rotated and expired keys count until deleted), the most one may have. Delete keys it no longer uses, then try again.`,
    });
    expect(await liveKeys()).toEqual({ live: cap, counted: cap });
    // A refused create writes nothing: no key, no event.
    const [events] = await h.services.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "SystemEvent" WHERE "repoId" = $1 AND event = 'created'`,
      [ws.repo.id],
    );
    expect(events!.n).toBe(cap);
  });

  it("counts rotations and deletes: a full repository rotates nothing, a delete frees one place", async () => {
    const listed = (await api(h.baseUrl, "GET", keysPath(ws.repo.id), { token: ws.VIEWER.token })).json.apiKeys as {
      id: string;
    }[];
    const rotate = (id: string) =>
      api(h.baseUrl, "POST", `${keysPath(ws.repo.id)}/${id}/rotate`, { token: ws.MEMBER.token, body: {} });
    const full = await rotate(listed[0]!.id);
    expect(full.status).toBe(403);
    expect(full.json.message).toMatch(/already has 5 keys/);

    // Concurrent deletes of one key free one place, not two; then a rotation and a create race for it.
    const deletes = await Promise.all(
      [1, 2, 3].map(() =>
        api(h.baseUrl, "DELETE", `${keysPath(ws.repo.id)}/${listed[1]!.id}`, { token: ws.MEMBER.token }),
      ),
    );
    expect(deletes.map((d) => d.status).sort()).toEqual([200, 404, 404]);
    expect(await liveKeys()).toEqual({ live: cap - 1, counted: cap - 1 });
    const [rotated, created] = await Promise.all([
      rotate(listed[0]!.id),
      createKey(h, ws.MEMBER.token, ws.repo.id, "one more"),
    ]);
    expect([rotated.status, created.status].sort()).toEqual([201, 403]);
    expect(await liveKeys()).toEqual({ live: cap, counted: cap });
  });

  it("is per repository: another repository of the same workspace still takes keys", async () => {
    const other = await createWorkspaceFixture(h.services);
    expect((await createKey(h, other.MEMBER.token, other.repo.id, "elsewhere")).status).toBe(201);
    expect(await liveKeys(other.repo.id)).toEqual({ live: 1, counted: 1 });
  });
});

describe("Flashback's unpaged list within the default cap", () => {
  let h: Harness;
  let ws: WorkspaceFixture;
  beforeAll(async () => {
    h = await startHarness({ serverUrl });
    ws = await createWorkspaceFixture(h.services);
  });
  afterAll(() => h?.close());

  it("answers a full repository's 10,000 keys, byte for byte JSON.stringify of every stored key", async () => {
    expect(h.services.maxKeysPerRepo).toBe(10_000);
    // 9,999 keys written directly (the list reads the table; how they got there does not matter to it), with
    // names that need escaping, a usage stamp and an expiry on some; the repository's count says so.
    await h.services.db.sql.query(
      `INSERT INTO "RepoAiApiKey" ("repoId", name, "aiType", key, "secretCiphertext", "masterKeyVersion", "secretHash",
                                   "createdAt", "lastUsedAt", "expiresAt")
       SELECT $1, 'key "' || i || E'" \\\\ ✓', 'OTHER', 'rk_bulk_' || i, '\\x00', 1, '\\x00',
              now() - make_interval(secs => i), CASE WHEN i % 3 = 0 THEN now() END,
              CASE WHEN i % 5 = 0 THEN now() + interval '1 day' END
       FROM generate_series(1, 9999) i`,
      [ws.repo.id],
    );
    await h.services.db.sql.query(`UPDATE "Repo" SET "liveKeyCount" = 9999 WHERE id = $1`, [ws.repo.id]);
    expect((await createKey(h, ws.MEMBER.token, ws.repo.id, "the last place")).status).toBe(201);
    expect((await createKey(h, ws.MEMBER.token, ws.repo.id, "one too many")).status).toBe(403);

    const whole = await api(h.baseUrl, "GET", keysPath(ws.repo.id), { token: ws.VIEWER.token });
    expect(whole.status).toBe(200);
    const stored = await h.services.db.prisma.repoAiApiKey.findMany({
      where: { repoId: ws.repo.id, deletedAt: null },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    expect(stored).toHaveLength(10_000);
    const iso = (date: Date | null) => date?.toISOString() ?? null;
    const expected = JSON.stringify({
      success: true,
      apiKeys: stored.map((k) => ({
        id: k.id,
        name: k.name,
        repoId: k.repoId,
        key: k.key,
        aiType: k.aiType,
        createdAt: iso(k.createdAt),
        deletedAt: null,
        expiresAt: iso(k.expiresAt),
        lastUsedAt: iso(k.lastUsedAt),
        version: k.version.toString(),
        replacedById: k.replacedById,
      })),
    });
    expect(whole.text === expected, "the unpaged list differs from the stored keys").toBe(true);

    // The pages of 1,000 hold the same keys in the same order.
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await api(
        h.baseUrl,
        "GET",
        `${keysPath(ws.repo.id)}?limit=1000${cursor ? `&cursor=${cursor}` : ""}`,
        { token: ws.VIEWER.token },
      );
      expect(page.status).toBe(200);
      paged.push(...page.json.apiKeys.map((k: object) => JSON.stringify(k)));
      cursor = page.json.nextCursor;
    } while (cursor !== null);
    expect(`{"success":true,"apiKeys":[${paged.join(",")}]}` === whole.text).toBe(true);
  });
});
