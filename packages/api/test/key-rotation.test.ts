// REST contract of rotation with a grace period and of expiry on create, seen through the gateway's verify.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayToken } from "../src/admin/gateway-tokens";
import { api, createWorkspaceFixture, type Harness, type WorkspaceFixture } from "../src/testing";
import { startCheckedHarness } from "./support/checked-harness";
import { eventChainProblems } from "./support/event-chain";

let h: Harness;
let ws: WorkspaceFixture;
let outsider: WorkspaceFixture;
let gateway: string;

/** REST calls go through Prism (support/checked-harness.ts): every answer is checked against /openapi.json. */
let base: string;
let closeHarness: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ h, base, close: closeHarness } = await startCheckedHarness());
  ws = await createWorkspaceFixture(h.services);
  outsider = await createWorkspaceFixture(h.services);
  gateway = await createGatewayToken(h.services, { name: "rotation tests" });
});
afterAll(() => closeHarness?.());

const keysPath = () => `/repo/${ws.repo.id}/ai/apikey`;
const rotatePath = (keyId: string, repoId = ws.repo.id) => `/repo/${repoId}/ai/apikey/${keyId}/rotate`;

async function createKey(body: Record<string, unknown> = {}) {
  const res = await api(base, "POST", keysPath(), {
    token: ws.MEMBER.token,
    body: { name: "Rotating key", aiType: "OPENAI", ...body },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; key: string; secret: string };
}

const rotate = (keyId: string, body: unknown = {}, token = ws.MEMBER.token) =>
  api(base, "POST", rotatePath(keyId), { token, body });

const verify = async (pair: { key: string; secret: string }) =>
  (await api(base, "POST", "/ai/apikey/verify", { token: gateway, body: { key: pair.key, secret: pair.secret } })).json;

const list = async () =>
  (await api(base, "GET", keysPath(), { token: ws.VIEWER.token })).json.apiKeys as {
    id: string;
    name: string;
    aiType: string;
    expiresAt: string | null;
    replacedById: string | null;
  }[];

describe("POST /repo/{repoId}/ai/apikey/{apikeyId}/rotate", () => {
  it("makes a new key and secret with the same name and AI type: 201, the secret shown once", async () => {
    const old = await createKey();
    const started = Date.now();
    const res = await rotate(old.id, { graceSeconds: 3600 });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      success: true,
      id: expect.any(String),
      key: expect.stringMatching(/^rk_/),
      secret: expect.stringMatching(/^rks_/),
      previousId: old.id,
    });
    expect(res.json.id).not.toBe(old.id);
    const ends = Date.parse(res.json.previousExpiresAt);
    expect(ends).toBeGreaterThanOrEqual(started + 3_600_000 - 1_000);
    expect(ends).toBeLessThanOrEqual(Date.now() + 3_600_000 + 1_000);

    // Both keys verify during the grace period; the list shows both, the old one with its end.
    expect(await verify(old)).toMatchObject({ valid: true, apikeyId: old.id });
    expect(await verify(res.json)).toMatchObject({ valid: true, apikeyId: res.json.id, name: "Rotating key" });
    const keys = await list();
    expect(keys.find((k) => k.id === old.id)).toMatchObject({
      expiresAt: res.json.previousExpiresAt,
      replacedById: res.json.id,
    });
    expect(keys.find((k) => k.id === res.json.id)).toMatchObject({
      name: "Rotating key",
      aiType: "OPENAI",
      expiresAt: null,
      replacedById: null,
    });
  });

  it("refuses to rotate a key again while it is in its grace (409), even when asked twice at once; it can be deleted", async () => {
    const old = await createKey();
    const [first, second] = await Promise.all([rotate(old.id, { graceSeconds: 3600 }), rotate(old.id)]);
    const [won, lost] = first.status === 201 ? [first, second] : [second, first];
    expect(won.status).toBe(201);
    expect(lost.status).toBe(409);
    expect(lost.json.message).toMatch(/already rotated: rotate the key that replaced it/);
    const again = await rotate(old.id, { graceSeconds: 0 });
    expect(again.status).toBe(409);
    expect(await verify(old)).toMatchObject({ valid: true }); // the refusal left its grace alone
    const successors = (await list()).filter((k) => k.name === "Rotating key" && k.id !== old.id);
    expect(successors.filter((k) => k.id === won.json.id)).toHaveLength(1);
    expect(await h.services.db.prisma.systemEvent.count({ where: { event: "rotated", contextId: old.id } })).toBe(1);
    expect((await rotate(won.json.id, { graceSeconds: 0 })).status).toBe(201);

    const early = await api(base, "DELETE", `/repo/${ws.repo.id}/ai/apikey/${old.id}`, { token: ws.MEMBER.token });
    expect(early.status).toBe(200);
    expect(await verify(old)).toMatchObject({ valid: false });
  });

  it("records one `rotated` event with both ids and the grace, never a secret", async () => {
    const old = await createKey();
    const res = await rotate(old.id, { graceSeconds: 120 });
    const events = await h.services.db.prisma.systemEvent.findMany({
      where: { event: "rotated", contextId: old.id },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ userId: ws.MEMBER.actor.userId, workspaceId: ws.workspace.id });
    expect(events[0]!.jsonData).toMatchObject({
      repoId: ws.repo.id,
      apikeyId: old.id,
      via: "rest",
      before: { name: "Rotating key", expiresAt: null },
      after: { name: "Rotating key", newApikeyId: res.json.id, newKey: res.json.key, graceSeconds: 120 },
    });
    expect(JSON.stringify(events[0]!.jsonData)).not.toContain(res.json.secret);
    expect(await eventChainProblems(h.services.db)).toEqual([]);
  });

  it("ends the old key when the grace is over: EXPIRED, and 0 ends it at once", async () => {
    const old = await createKey();
    expect((await verify(old)).valid).toBe(true); // now in this instance's cache
    const now = await rotate(old.id, { graceSeconds: 0 });
    expect(now.status).toBe(201);
    expect(await verify(old)).toEqual({ valid: false, code: "EXPIRED" });
    expect((await verify(now.json)).valid).toBe(true);

    const brief = await createKey();
    expect((await rotate(brief.id, { graceSeconds: 1 })).status).toBe(201);
    expect((await verify(brief)).valid).toBe(true);
    await sleep(1_100);
    expect(await verify(brief)).toEqual({ valid: false, code: "EXPIRED" });
  });

  it("defaults to one day of grace, and never lengthens an earlier expiry", async () => {
    const old = await createKey();
    const res = await rotate(old.id);
    expect(Math.abs(Date.parse(res.json.previousExpiresAt) - (Date.now() + 86_400_000))).toBeLessThan(5_000);

    const soon = new Date(Date.now() + 60_000).toISOString();
    const expiring = await createKey({ expiresAt: soon });
    const again = await rotate(expiring.id, { graceSeconds: 604_800 });
    expect(Date.parse(again.json.previousExpiresAt)).toBe(Date.parse(soon));
  });

  it("gives the new key the old key's expiry, or the one asked for within creation's bounds", async () => {
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const limited = await createKey({ expiresAt: inAnHour });
    const kept = await rotate(limited.id, { graceSeconds: 60 });
    expect(kept.status).toBe(201);
    expect(kept.json.expiresAt).toBe(inAnHour);
    expect((await list()).find((k) => k.id === kept.json.id)?.expiresAt).toBe(inAnHour);
    const [event] = await h.services.db.prisma.systemEvent.findMany({
      where: { event: "rotated", contextId: limited.id },
    });
    const { before, after } = event!.jsonData as { before: { expiresAt: string }; after: { newExpiresAt: string } };
    expect([Date.parse(before.expiresAt), Date.parse(after.newExpiresAt)]).toEqual([
      Date.parse(inAnHour),
      Date.parse(inAnHour),
    ]);

    // A rotation of the new key keeps it too: no chain of rotations ends in a permanent key.
    const again = await rotate(kept.json.id, { graceSeconds: 0 });
    expect(again.json.expiresAt).toBe(inAnHour);

    const inADay = new Date(Date.now() + 86_400_000).toISOString();
    const chosen = await rotate(again.json.id, { graceSeconds: 0, expiresAt: inADay });
    expect(chosen.json.expiresAt).toBe(inADay);
    expect((await rotate((await createKey()).id)).json.expiresAt).toBeNull();

    const bad = await rotate(chosen.json.id, { expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString() });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/at most one year ahead/);
    expect((await rotate(chosen.json.id, { expiresAt: "2020-01-01T00:00:00Z" })).json.message).toMatch(/in the future/);
  });

  it("refuses a bad grace with 400 and a message that says the range", async () => {
    const old = await createKey();
    const cases: [unknown, RegExp][] = [
      [{ graceSeconds: -1 }, /0 or more/],
      [{ graceSeconds: 604_801 }, /at most 604800/],
      [{ graceSeconds: 1.5 }, /whole number/],
      [{ graceSeconds: "60" }, /number of seconds/],
      [{ graceSeconds: null }, /number of seconds/],
      [{ graceSeconds: 60, key: "rk_mine" }, /key/],
      [{ apikeyId: old.id }, /cannot be sent in the body/],
    ];
    for (const [body, message] of cases) {
      const res = await rotate(old.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.message).toMatch(message);
    }
    expect((await list()).filter((k) => k.id === old.id)[0]?.expiresAt).toBeNull();
  });

  it("follows the rename rules: VIEWER 403, a stranger 403, unknown or deleted key 404, expired key 409", async () => {
    const old = await createKey();
    expect((await rotate(old.id, {}, ws.VIEWER.token)).status).toBe(403);
    expect((await rotate(old.id, {}, outsider.OWNER.token)).status).toBe(403);
    expect((await rotate(old.id, {}, "")).status).toBe(401);
    const foreign = await api(base, "POST", rotatePath(old.id, outsider.repo.id), {
      token: outsider.OWNER.token,
      body: {},
    });
    expect(foreign.status).toBe(404);
    expect((await rotate("no-such-key")).status).toBe(404);

    const gone = await createKey();
    await api(base, "DELETE", `/repo/${ws.repo.id}/ai/apikey/${gone.id}`, { token: ws.MEMBER.token });
    expect((await rotate(gone.id)).status).toBe(404);

    const ended = await createKey();
    expect((await rotate(ended.id, { graceSeconds: 0 })).status).toBe(201);
    const late = await rotate(ended.id);
    expect(late.status).toBe(409);
    expect(late.json.message).toMatch(/expired.*create a new key/);

    const rotatedCount = await h.services.db.prisma.systemEvent.count({
      where: { event: "rotated", contextId: { in: [old.id, gone.id] } },
    });
    expect(rotatedCount).toBe(0);
  });
});

describe("POST /repo/{repoId}/ai/apikey with expiresAt", () => {
  it("stores an expiry in the future, at most a year ahead, and lists it", async () => {
    const at = new Date(Date.now() + 30 * 86_400_000);
    const created = await createKey({ expiresAt: at.toISOString() });
    expect((await list()).find((k) => k.id === created.id)?.expiresAt).toBe(at.toISOString());
    expect((await verify(created)).valid).toBe(true);
  });

  it("refuses a past, a too distant or a malformed expiry with a clear 400", async () => {
    const cases: [unknown, RegExp][] = [
      [new Date(Date.now() - 1_000).toISOString(), /expiresAt must be in the future/],
      [new Date(Date.now() + 367 * 86_400_000).toISOString(), /expiresAt must be at most one year ahead/],
      ["tomorrow", /expiresAt must be an ISO 8601 date and time/],
      ["2027-01-01", /expiresAt must be an ISO 8601 date and time/],
      [1893456000000, /expiresAt must be an ISO 8601 date and time/],
    ];
    for (const [expiresAt, message] of cases) {
      const res = await api(base, "POST", keysPath(), {
        token: ws.MEMBER.token,
        body: { name: "expiring", aiType: "AWS", expiresAt },
      });
      expect(res.status, String(expiresAt)).toBe(400);
      expect(res.json.message).toMatch(message);
    }
  });

  it("keeps Flashback's two-field create unchanged: no expiry", async () => {
    const created = await createKey();
    expect((await list()).find((k) => k.id === created.id)?.expiresAt).toBeNull();
  });
});
