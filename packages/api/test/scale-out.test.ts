// Two app instances (each its own services, connection pool and HTTP server) on one PostgreSQL database, as
// behind a load balancer. PostgreSQL is TEST_DATABASE_URL's when set, else a throwaway server of our own:
// PGlite is one process's database, so this test always runs on PostgreSQL.
import { afterAll, beforeAll, expect, it } from "vitest";
import { api, createWorkspaceFixture, type Harness, type WorkspaceFixture } from "../src/testing";
import { startTwoInstances } from "./support/app-instances";
import { eventChainProblems } from "./support/event-chain";

let closeInstances: (() => Promise<void>) | undefined;
let a: Harness;
let b: Harness;
let ws: WorkspaceFixture;

beforeAll(async () => {
  ({ a, b, close: closeInstances } = await startTwoInstances());
  ws = await createWorkspaceFixture(a.services);
});
afterAll(() => closeInstances?.());

const keyPath = (keyId: string) => `/repo/${ws.repo.id}/ai/apikey/${keyId}`;

it("concurrent renames and deletes through two instances keep every key's event chain and never revive a deleted key", async () => {
  const keyIds: string[] = [];
  for (let i = 0; i < 12; i++) {
    const via = i % 2 ? a : b;
    const created = await api(via.baseUrl, "POST", `/repo/${ws.repo.id}/ai/apikey`, {
      token: ws.MEMBER.token,
      body: { name: `shared-${i}`, aiType: "AWS" },
    });
    expect(created.status).toBe(201);
    keyIds.push(created.json.id);
  }

  // Per key, all keys at once: a wave of concurrent renames spread over both instances, then a second wave
  // racing two deletes (one through each instance).
  type Result = { keyId: string; kind: "rename" | "delete"; wave: 1 | 2; status: number };
  const race = async (keyId: string, k: number): Promise<Result[]> => {
    const rename = (n: number, wave: 1 | 2) =>
      api((n % 2 ? a : b).baseUrl, "PUT", keyPath(keyId), {
        token: [ws.OWNER, ws.ADMIN, ws.MEMBER][n % 3]!.token,
        body: { name: `k${k}-n${n}` },
      }).then((res): Result => ({ keyId, kind: "rename", wave, status: res.status }));
    const first = await Promise.all(Array.from({ length: 12 }, (_, n) => rename(n, 1)));
    const second = await Promise.all([
      ...Array.from({ length: 12 }, (_, n) => rename(12 + n, 2)),
      ...[a, b].map((via) =>
        api(via.baseUrl, "DELETE", keyPath(keyId), { token: ws.ADMIN.token }).then(
          (res): Result => ({ keyId, kind: "delete", wave: 2, status: res.status }),
        ),
      ),
    ]);
    return [...first, ...second];
  };
  const results = (await Promise.all(keyIds.map(race))).flat();

  for (const keyId of keyIds) {
    const mine = results.filter((r) => r.keyId === keyId);
    // Exactly one delete wins; renames either ran before it (200) or find a deleted key (404).
    expect(
      mine
        .filter((r) => r.kind === "delete")
        .map((r) => r.status)
        .sort(),
    ).toEqual([200, 404]);
    for (const r of mine.filter((r) => r.kind === "rename"))
      expect(r.wave === 1 ? [200] : [200, 404]).toContain(r.status);
  }
  const succeeded = results.filter((r) => r.kind === "rename" && r.status === 200).length;
  console.info(
    `scale-out: ${results.length} calls through two instances, ${succeeded} renames before their key's delete`,
  );

  expect(await eventChainProblems(a.services.db)).toEqual([]);
  const stored = await a.services.db.prisma.repoAiApiKey.findMany({
    where: { id: { in: keyIds } },
    orderBy: { id: "asc" },
  });
  expect(stored.every((key) => key.deletedAt !== null)).toBe(true);

  // And they stay deleted: renames through either instance find nothing, lists do not show them.
  for (const via of [a, b]) {
    for (const keyId of keyIds) {
      const late = await api(via.baseUrl, "PUT", keyPath(keyId), { token: ws.MEMBER.token, body: { name: "revived" } });
      expect(late.status).toBe(404);
    }
    const list = await api(via.baseUrl, "GET", `/repo/${ws.repo.id}/ai/apikey`, { token: ws.VIEWER.token });
    expect(list.json.apiKeys.filter((k: { id: string }) => keyIds.includes(k.id))).toEqual([]);
  }
  const after = await a.services.db.prisma.repoAiApiKey.findMany({
    where: { id: { in: keyIds } },
    orderBy: { id: "asc" },
  });
  expect(after.map((k) => [k.id, k.name, k.deletedAt])).toEqual(stored.map((k) => [k.id, k.name, k.deletedAt]));
  expect(await eventChainProblems(a.services.db)).toEqual([]);
});
