import { afterAll, beforeAll, expect, it } from "vitest";
import { api, createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";

let h: Harness;
let ws: WorkspaceFixture;

beforeAll(async () => {
  h = await startHarness();
  ws = await createWorkspaceFixture(h.services);
});
afterAll(() => h.close());

async function createKey(name: string) {
  const res = await api(h.baseUrl, "POST", `/repo/${ws.repo.id}/ai/apikey`, {
    token: ws.MEMBER.token,
    body: { name, aiType: "GOOGLE" },
  });
  expect(res.status).toBe(201);
  return res.json.id as string;
}

type Change = { before: { name: string } | null; after: { name: string } | null };

async function eventChain(keyId: string) {
  const events = await h.services.db.prisma.systemEvent.findMany({
    where: { contextId: keyId },
    orderBy: { id: "asc" },
  });
  return events.map((e) => ({ event: e.event, ...(e.jsonData as Change) }));
}

it("50 concurrent renames of one key: 50 events whose before/after chain to the stored name", async () => {
  const keyId = await createKey("rename-0");
  const names = Array.from({ length: 50 }, (_, i) => `rename-${i + 1}`);
  const responses = await Promise.all(
    names.map((name, i) =>
      api(h.baseUrl, "PUT", `/repo/${ws.repo.id}/ai/apikey/${keyId}`, {
        token: [ws.OWNER, ws.ADMIN, ws.MEMBER][i % 3]!.token,
        body: { name },
      }),
    ),
  );
  expect(responses.map((r) => r.status)).toEqual(names.map(() => 200));

  const chain = await eventChain(keyId);
  expect(chain[0]).toMatchObject({ event: "created", after: { name: "rename-0" } });
  const updates = chain.slice(1);
  expect(updates).toHaveLength(50);
  let current = "rename-0";
  for (const update of updates) {
    expect(update.event).toBe("updated");
    expect(update.before?.name).toBe(current);
    current = update.after!.name;
  }
  expect(new Set(updates.map((u) => u.after!.name))).toEqual(new Set(names));
  const stored = await h.services.db.prisma.repoAiApiKey.findUniqueOrThrow({ where: { id: keyId } });
  expect(stored.name).toBe(current);
});

it("a rename racing a delete never brings the deleted key back", async () => {
  for (let round = 0; round < 10; round++) {
    const keyId = await createKey(`racer-${round}`);
    const path = `/repo/${ws.repo.id}/ai/apikey/${keyId}`;
    const results = await Promise.all([
      api(h.baseUrl, "PUT", path, { token: ws.MEMBER.token, body: { name: `racer-${round}-a` } }),
      api(h.baseUrl, "DELETE", path, { token: ws.ADMIN.token }),
      api(h.baseUrl, "PUT", path, { token: ws.OWNER.token, body: { name: `racer-${round}-b` } }),
    ]);
    expect(results[1]!.status).toBe(200);
    for (const rename of [results[0]!, results[2]!]) expect([200, 404]).toContain(rename.status);

    const stored = await h.services.db.prisma.repoAiApiKey.findUniqueOrThrow({ where: { id: keyId } });
    expect(stored.deletedAt).not.toBeNull();
    const chain = await eventChain(keyId);
    expect(chain.at(-1)!.event).toBe("deleted");
    expect(chain.filter((e) => e.event === "deleted")).toHaveLength(1);
    // the delete recorded the name that was stored when it ran, and nothing followed it
    expect(chain.at(-1)!.before!.name).toBe(stored.name);
    const renamesOk = results.filter((r, i) => i !== 1 && r.status === 200).length;
    expect(chain.filter((e) => e.event === "updated")).toHaveLength(renamesOk);
    const listed = await api(h.baseUrl, "GET", `/repo/${ws.repo.id}/ai/apikey`, { token: ws.VIEWER.token });
    expect(listed.json.apiKeys.map((k: { id: string }) => k.id)).not.toContain(keyId);
  }
});

it("keeps the secret out of everything but the create response: list, events, stored columns and logs", async () => {
  const created = await api(h.baseUrl, "POST", `/repo/${ws.repo.id}/ai/apikey`, {
    token: ws.MEMBER.token,
    body: { name: "leak check", aiType: "AWS" },
  });
  const { id, secret } = created.json as { id: string; secret: string };
  await api(h.baseUrl, "PUT", `/repo/${ws.repo.id}/ai/apikey/${id}`, {
    token: ws.MEMBER.token,
    body: { name: "leak check 2" },
  });
  const list = await api(h.baseUrl, "GET", `/repo/${ws.repo.id}/ai/apikey`, { token: ws.MEMBER.token });
  const events = await api(h.baseUrl, "POST", "/systemevent", { token: ws.MEMBER.token, body: { skip: 0, take: 500 } });
  expect(list.text).not.toContain(secret);
  expect(events.text).not.toContain(secret);
  expect(h.logs.join("\n")).not.toContain(secret);
  const secretBody = secret.slice(4);
  const [hits] = await h.services.db.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "RepoAiApiKey" k, "SystemEvent" e
     WHERE k.name LIKE $1 OR k.key LIKE $1 OR e."jsonData"::text LIKE $1
        OR encode(k."secretCiphertext", 'escape') LIKE $1`,
    [`%${secretBody}%`],
  );
  expect(hits!.n).toBe(0);
});
