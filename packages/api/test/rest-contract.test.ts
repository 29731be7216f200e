// The REST contract of Flashback's key family, endpoint by endpoint (a describe each), through Prism. One file
// past 300 lines on purpose: every endpoint shares one harness and one validating proxy, which a file each
// would start again (several seconds each on 2 cores).
import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createWorkspaceFixture, type Harness, type WorkspaceFixture } from "../src/testing";
import { startCheckedHarness } from "./support/checked-harness";

let h: Harness;
let ws: WorkspaceFixture;
let outsider: WorkspaceFixture;
/** REST calls go through Prism (support/checked-harness.ts): every answer is checked against /openapi.json. */
let base: string;
let closeHarness: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ h, base, close: closeHarness } = await startCheckedHarness());
  ws = await createWorkspaceFixture(h.services);
  outsider = await createWorkspaceFixture(h.services);
});
afterAll(() => closeHarness?.());

const keysPath = (repoId: string) => `/repo/${repoId}/ai/apikey`;
const keyPath = (repoId: string, keyId: string) => `/repo/${repoId}/ai/apikey/${keyId}`;

async function createKey(name = "Production key", token = ws.MEMBER.token, repoId = ws.repo.id) {
  const res = await api(base, "POST", keysPath(repoId), { token, body: { name, aiType: "OPENAI" } });
  expect(res.status).toBe(201);
  return res.json as { success: true; id: string; key: string; secret: string };
}

async function storedKey(id: string) {
  return h.services.db.prisma.repoAiApiKey.findUniqueOrThrow({ where: { id } });
}

async function eventsOf(keyId: string) {
  return h.services.db.prisma.systemEvent.findMany({ where: { contextId: keyId }, orderBy: { id: "asc" } });
}

describe("POST /repo/{repoId}/ai/apikey", () => {
  it("creates a key and shows its secret once: 201 with id, key and secret", async () => {
    const res = await api(base, "POST", keysPath(ws.repo.id), {
      token: ws.MEMBER.token,
      body: { name: "  Build server  ", aiType: "ANTHROPIC" },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.json).toMatchObject({ success: true, id: expect.any(String), key: expect.stringMatching(/^rk_/) });
    expect(res.json.secret).toMatch(/^rks_[A-Za-z0-9_-]{43}$/);
    const stored = await storedKey(res.json.id);
    expect(stored).toMatchObject({ name: "Build server", aiType: "ANTHROPIC", key: res.json.key, deletedAt: null });
    expect(Buffer.from(stored.secretCiphertext).includes(Buffer.from(res.json.secret))).toBe(false);
    const [event] = await eventsOf(res.json.id);
    expect(event).toMatchObject({
      context: "aillmapikey",
      event: "created",
      userId: ws.MEMBER.actor.userId,
      workspaceId: ws.workspace.id,
    });
    expect(event!.jsonData).toMatchObject({
      via: "rest",
      repoId: ws.repo.id,
      after: { name: "Build server", aiType: "ANTHROPIC" },
    });
  });

  it("rejects a bad aiType and a missing name with 400", async () => {
    const bad = await api(base, "POST", keysPath(ws.repo.id), {
      token: ws.MEMBER.token,
      body: { name: "x", aiType: "SKYNET" },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/aiType must be one of OPENAI, GOOGLE, ANTHROPIC, AWS, OTHER/);
    const missing = await api(base, "POST", keysPath(ws.repo.id), {
      token: ws.MEMBER.token,
      body: { aiType: "AWS" },
    });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ success: false, message: expect.stringMatching(/Name/) });
  });
});

describe("GET /repo/{repoId}/ai/apikey", () => {
  it("lists live keys newest first, never a secret; a VIEWER may read", async () => {
    const a = await createKey("first");
    const b = await createKey("second");
    const deleted = await createKey("deleted");
    expect((await api(base, "DELETE", keyPath(ws.repo.id, deleted.id), { token: ws.MEMBER.token })).status).toBe(200);

    const res = await api(base, "GET", keysPath(ws.repo.id), { token: ws.VIEWER.token });
    expect(res.status).toBe(200);
    expect(res.json.success).toBe(true);
    const ids = res.json.apiKeys.map((k: { id: string }) => k.id);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    expect(ids).not.toContain(deleted.id);
    const listed = res.json.apiKeys.find((k: { id: string }) => k.id === a.id);
    // Flashback's fields, plus four of ours (expiry, last use, successor, version) that Flashback clients ignore.
    expect(Object.keys(listed).sort()).toEqual([
      "aiType",
      "createdAt",
      "deletedAt",
      "expiresAt",
      "id",
      "key",
      "lastUsedAt",
      "name",
      "replacedById",
      "repoId",
      "version",
    ]);
    expect(listed).toMatchObject({
      name: "first",
      repoId: ws.repo.id,
      key: a.key,
      aiType: "OPENAI",
      deletedAt: null,
      expiresAt: null,
      lastUsedAt: null,
      replacedById: null,
    });
    expect(new Date(listed.createdAt).toISOString()).toBe(listed.createdAt);
    expect(res.text).not.toContain(a.secret);
  });
});

describe("GET /repo/{repoId}/ai/apikey, edges", () => {
  it("answers an empty list for a repository without keys, and 403 to a stranger", async () => {
    const fresh = await createWorkspaceFixture(h.services);
    const empty = await api(base, "GET", keysPath(fresh.repo.id), { token: fresh.VIEWER.token });
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual({ success: true, apiKeys: [] });
    const stranger = await api(base, "GET", keysPath(fresh.repo.id), { token: ws.OWNER.token });
    expect(stranger.status).toBe(403);
    expect(stranger.json.message).toMatch(/^Insufficient permissions/);
  });

  it("is compact JSON, byte for byte what JSON.stringify writes, whatever a name holds", async () => {
    const fresh = await createWorkspaceFixture(h.services);
    const names = ['Say "hi" \\ back', "Ünïcödé ✓ 😀 𝄞", "plain", "x".repeat(100)];
    for (const name of names) await createKey(name, fresh.MEMBER.token, fresh.repo.id);
    // Straight to the server, not through Prism: its proxy may re-encode the body it checks.
    const listed = await api(h.baseUrl, "GET", keysPath(fresh.repo.id), { token: fresh.OWNER.token });
    expect(listed.text).toBe(JSON.stringify(JSON.parse(listed.text)));
    expect(listed.json.apiKeys.map((k: { name: string }) => k.name)).toEqual([...names].reverse());
    expect(listed.json.apiKeys[0]).toEqual({
      id: expect.any(String),
      name: "x".repeat(100),
      repoId: fresh.repo.id,
      key: expect.stringMatching(/^rk_/),
      aiType: "OPENAI",
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      deletedAt: null,
      expiresAt: null,
      lastUsedAt: null,
      version: expect.stringMatching(/^\d+$/),
      replacedById: null,
    });
  });
});

describe("PUT /repo/{repoId}/ai/apikey/{apikeyId}", () => {
  it("renames the key: 200 with Flashback's body, and an audit event with before, after and channel", async () => {
    const key = await createKey("Old name");
    const res = await api(base, "PUT", keyPath(ws.repo.id, key.id), {
      token: ws.MEMBER.token,
      body: { name: "Updated Production AI Key" },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ success: true, message: "AI API key updated successfully" });
    const stored = await storedKey(key.id);
    expect(stored.name).toBe("Updated Production AI Key");
    expect(stored.key).toBe(key.key);
    const events = await eventsOf(key.id);
    expect(events.map((e) => e.event)).toEqual(["created", "updated"]);
    expect(events[1]).toMatchObject({
      userId: ws.MEMBER.actor.userId,
      workspaceId: ws.workspace.id,
      context: "aillmapikey",
    });
    expect(events[1]!.jsonData).toEqual({
      repoId: ws.repo.id,
      apikeyId: key.id,
      before: { name: "Old name" },
      after: { name: "Updated Production AI Key" },
      via: "rest",
    });
  });

  it("answers {} (and an unchanged name) with 200 and changes and records nothing", async () => {
    const key = await createKey("Same");
    for (const body of [{}, { name: "Same" }, { name: "  Same " }]) {
      const res = await api(base, "PUT", keyPath(ws.repo.id, key.id), { token: ws.MEMBER.token, body });
      expect(res.status).toBe(200);
    }
    const empty = await api(base, "PUT", keyPath(ws.repo.id, key.id), { token: ws.MEMBER.token });
    expect(empty.status).toBe(200);
    expect((await eventsOf(key.id)).map((e) => e.event)).toEqual(["created"]);
  });

  it("trims the name and enforces its rules with 400 and a message that says what to fix", async () => {
    const key = await createKey("Valid");
    const cases: [unknown, RegExp][] = [
      [{ name: "   " }, /must not be empty or only spaces/],
      [{ name: "" }, /must not be empty/],
      [{ name: "x".repeat(101) }, /at most 100 characters/],
      [{ name: "line\nbreak" }, /control characters/],
      [{ name: "nul\u0000byte" }, /control characters/],
      [{ name: "bidi\u202Eoverride" }, /control characters/],
      [{ name: 123 }, /Name must be a string/],
      [{ name: null }, /Name must be a string/],
      [{ name: ["a"] }, /Name must be a string/],
    ];
    for (const [body, message] of cases) {
      const res = await api(base, "PUT", keyPath(ws.repo.id, key.id), { token: ws.MEMBER.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json).toMatchObject({ success: false, message: expect.stringMatching(message) });
    }
    const lone = await api(base, "PUT", keyPath(ws.repo.id, key.id), {
      token: ws.MEMBER.token,
      rawBody: '{"name":"half \\ud800 surrogate"}',
      headers: { "content-type": "application/json" },
    });
    expect(lone.status).toBe(400);
    expect(lone.json.message).toMatch(/valid Unicode/);
    const exact = await api(base, "PUT", keyPath(ws.repo.id, key.id), {
      token: ws.MEMBER.token,
      body: { name: `  ${"y".repeat(100)}  ` },
    });
    expect(exact.status).toBe(200);
    expect((await storedKey(key.id)).name).toBe("y".repeat(100));
  });

  it("cannot reach the key or secret: sending them is a 400 that explains rotation", async () => {
    const key = await createKey("Fixed");
    for (const field of ["key", "secret", "aiType", "id", "createdAt"]) {
      const res = await api(base, "PUT", keyPath(ws.repo.id, key.id), {
        token: ws.MEMBER.token,
        body: { name: "x", [field]: "tampered" },
      });
      expect(res.status, field).toBe(400);
      expect(res.json.message).toMatch(new RegExp(`${field} cannot be modified`));
      expect(res.json.message).toMatch(/rotate the key \(POST/);
    }
    const inBody = await api(base, "PUT", keyPath(ws.repo.id, key.id), {
      token: ws.MEMBER.token,
      body: { repoId: outsider.repo.id },
    });
    expect(inBody.status).toBe(400);
    expect(inBody.json.message).toMatch(/repoId cannot be sent in the body.*rotate the key/);
    const unknown = await api(base, "PUT", keyPath(ws.repo.id, key.id), {
      token: ws.MEMBER.token,
      body: { colour: "red" },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toMatch(/Unknown field\(s\) colour: the only field that can be updated is name/);
    const stored = await storedKey(key.id);
    expect(stored).toMatchObject({ name: "Fixed", key: key.key });
  });

  it("answers malformed bodies with 400, a wrong content type with 415 and an oversize body with 413", async () => {
    const key = await createKey("Body");
    const path = keyPath(ws.repo.id, key.id);
    const json = { "content-type": "application/json" };
    // Prism never answers a request whose JSON it cannot parse, and re-encodes what it forwards (`null` as no
    // body, invalid UTF-8 as valid), so these bodies go to the server directly; their answers have the shape of the other 400s, which it checks.
    expect(
      (await api(h.baseUrl, "PUT", path, { token: ws.MEMBER.token, rawBody: "{name:", headers: json })).json.message,
    ).toMatch(/not valid JSON/);
    for (const raw of ["{name:", "[1,2]", "null", '"name"', "42"]) {
      const res = await api(h.baseUrl, "PUT", path, {
        token: ws.MEMBER.token,
        rawBody: raw,
        headers: json,
      });
      expect(res.status, raw).toBe(400);
      expect(res.json.success).toBe(false);
    }
    const invalidUtf8 = await api(h.baseUrl, "PUT", path, {
      token: ws.MEMBER.token,
      rawBody: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      headers: json,
    });
    expect(invalidUtf8.status).toBe(400);
    expect(invalidUtf8.json.message).toMatch(/not valid UTF-8/);
    const text = await api(base, "PUT", path, {
      token: ws.MEMBER.token,
      rawBody: "name=x",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    expect(text.json.message).toMatch(/must be JSON/);
    const charset = await api(base, "PUT", path, {
      token: ws.MEMBER.token,
      body: { name: "with charset" },
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(charset.status).toBe(200);
    const huge = await api(base, "PUT", path, { token: ws.MEMBER.token, body: { name: "x".repeat(20_000) } });
    expect(huge.status).toBe(413);
    expect(huge.json).toMatchObject({
      success: false,
      message: expect.stringMatching(/larger than the limit of 16384 bytes/),
    });
    expect((await storedKey(key.id)).name).toBe("with charset");
  });

  it("answers 404 for a deleted key, another repository's key and a key that never existed", async () => {
    const deleted = await createKey("Gone");
    await api(base, "DELETE", keyPath(ws.repo.id, deleted.id), { token: ws.MEMBER.token });
    const foreign = await createKey("Theirs", outsider.MEMBER.token, outsider.repo.id);
    for (const id of [deleted.id, foreign.id, "00000000-0000-4000-8000-000000000000"]) {
      const res = await api(base, "PUT", keyPath(ws.repo.id, id), {
        token: ws.MEMBER.token,
        body: { name: "revived" },
      });
      expect(res.status, id).toBe(404);
      expect(res.json).toEqual({
        success: false,
        code: "NOT_FOUND",
        message: expect.stringMatching(/^API key not found/),
      });
    }
    expect((await storedKey(deleted.id)).name).toBe("Gone");
    expect((await storedKey(foreign.id)).name).toBe("Theirs");
  });

  it("answers 403 to a VIEWER, to a user of another workspace, and the same to a repository that does not exist", async () => {
    const key = await createKey("Guarded");
    const viewer = await api(base, "PUT", keyPath(ws.repo.id, key.id), {
      token: ws.VIEWER.token,
      body: { name: "v" },
    });
    expect(viewer.status).toBe(403);
    expect(viewer.json.message).toMatch(/^Insufficient permissions: your role in this workspace \(VIEWER\)/);
    const stranger = await api(base, "PUT", keyPath(ws.repo.id, key.id), {
      token: outsider.OWNER.token,
      body: { name: "s" },
    });
    const nowhere = await api(base, "PUT", keyPath("no-such-repo", key.id), {
      token: ws.OWNER.token,
      body: { name: "n" },
    });
    expect(stranger.status).toBe(403);
    expect(nowhere.status).toBe(403);
    expect(nowhere.json).toEqual(stranger.json);
    expect(stranger.json.message).toMatch(/^Insufficient permissions/);
    for (const role of ["OWNER", "ADMIN", "MEMBER"] as const) {
      const res = await api(base, "PUT", keyPath(ws.repo.id, key.id), {
        token: ws[role].token,
        body: { name: `by ${role}` },
      });
      expect(res.status, role).toBe(200);
    }
    expect((await eventsOf(key.id)).filter((e) => e.event === "updated")).toHaveLength(3);
  });

  it("answers 401 without a token, with a malformed header, an unknown, a revoked or an expired token", async () => {
    const key = await createKey("Auth");
    const path = keyPath(ws.repo.id, key.id);
    const body = { name: "nope" };
    const none = await api(base, "PUT", path, { body });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(none.json).toMatchObject({ success: false, message: expect.stringMatching(/Authorization: Bearer/) });
    const malformed = await api(base, "PUT", path, { body, headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(malformed.status).toBe(401);
    const unknown = await api(base, "PUT", path, { body, token: "rkt_thisTokenDoesNotExist" });
    expect(unknown.status).toBe(401);
    expect(unknown.json.message).toMatch(/unknown, revoked or expired/);

    const { createCaller, typedCallContext } = await import("../src");
    const caller = createCaller(typedCallContext(h.services, ws.MEMBER.actor));
    const fresh = await caller.createApiToken({ name: "soon revoked" });
    expect((await api(base, "PUT", path, { body: { name: "with fresh" }, token: fresh.token })).status).toBe(200);
    await caller.revokeApiToken({ id: fresh.apiToken.id });
    expect((await api(base, "PUT", path, { body, token: fresh.token })).status).toBe(401);

    const expiring = await caller.createApiToken({ name: "expiring", expiresInDays: 1 });
    await h.services.db.prisma.apiToken.update({
      where: { id: expiring.apiToken.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await api(base, "PUT", path, { body, token: expiring.token })).status).toBe(401);
    expect((await storedKey(key.id)).name).toBe("with fresh");
  });
});

describe("DELETE /repo/{repoId}/ai/apikey/{apikeyId}", () => {
  it("soft-deletes once (200, then 404), keeps the row, records the event; a VIEWER cannot", async () => {
    const key = await createKey("Doomed");
    expect((await api(base, "DELETE", keyPath(ws.repo.id, key.id), { token: ws.VIEWER.token })).status).toBe(403);
    const res = await api(base, "DELETE", keyPath(ws.repo.id, key.id), { token: ws.ADMIN.token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ success: true, message: "AI API key deleted successfully" });
    expect((await api(base, "DELETE", keyPath(ws.repo.id, key.id), { token: ws.ADMIN.token })).status).toBe(404);
    expect((await storedKey(key.id)).deletedAt).not.toBeNull();
    const events = await eventsOf(key.id);
    expect(events.map((e) => e.event)).toEqual(["created", "deleted"]);
    expect(events[1]!.jsonData).toMatchObject({
      before: { name: "Doomed", aiType: "OPENAI", key: key.key },
      after: null,
      via: "rest",
    });
  });
});

describe("POST /systemevent", () => {
  it("returns the caller's workspaces' events only, newest first, with Flashback's fields and filters", async () => {
    const key = await createKey("Evented");
    await api(base, "PUT", keyPath(ws.repo.id, key.id), { token: ws.MEMBER.token, body: { name: "Evented 2" } });
    const theirs = await createKey("Not yours", outsider.MEMBER.token, outsider.repo.id);

    const res = await api(base, "POST", "/systemevent", { token: ws.VIEWER.token, body: { skip: 0, take: 500 } });
    expect(res.status).toBe(200);
    // The workspace's events, and the viewer's own personal ones (their API token's creation), nobody else's.
    expect(
      res.json.events.every(
        (e: { workspaceId: string | null; userId: string }) =>
          e.workspaceId === ws.workspace.id || (e.workspaceId === null && e.userId === ws.VIEWER.actor.userId),
      ),
    ).toBe(true);
    expect(res.text).not.toContain(theirs.id);
    expect(res.json.total).toBe(res.json.events.length);

    const mine = await api(base, "POST", "/systemevent", {
      token: ws.VIEWER.token,
      body: { skip: 0, take: 10, contextId: key.id, context: 12, event: "updated" },
    });
    expect(mine.json).toMatchObject({ total: 1, skip: 0, take: 10 });
    const [event] = mine.json.events;
    expect(event).toMatchObject({
      id: expect.any(Number),
      contextId: key.id,
      context: "aillmapikey",
      event: "updated",
      userId: ws.MEMBER.actor.userId,
      userName: ws.MEMBER.actor.name,
      userEmail: ws.MEMBER.actor.email,
      workspaceId: ws.workspace.id,
    });
    expect(JSON.parse(event.jsonData)).toMatchObject({ before: { name: "Evented" }, after: { name: "Evented 2" } });

    const page = await api(base, "POST", "/systemevent", {
      token: ws.VIEWER.token,
      body: { skip: 1, take: 1, contextId: key.id },
    });
    expect(page.json).toMatchObject({ total: 2, skip: 1, take: 1 });
    expect(page.json.events[0].event).toBe("created");

    const byChannel = async (via: string) =>
      api(base, "POST", "/systemevent", { token: ws.VIEWER.token, body: { take: 500, contextId: key.id, via } });
    expect((await byChannel("rest")).json.total).toBe(2);
    expect((await byChannel("web")).json.total).toBe(0);
    const badChannel = await byChannel("fax");
    expect(badChannel.status).toBe(400);
    expect(badChannel.json.message).toMatch(/via must be one of web, rest, typed/);

    const bad = await api(base, "POST", "/systemevent", {
      token: ws.VIEWER.token,
      body: { take: 0, context: 99 },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/take must be at least 1/);
    expect((await api(base, "POST", "/systemevent", { body: {} })).status).toBe(401);
  });
});

describe("the REST surface", () => {
  it("answers unknown paths under the API with a JSON 404 and wrong methods with 405", async () => {
    const missing = await api(base, "GET", `/repo/${ws.repo.id}/nothing`, { token: ws.OWNER.token });
    expect(missing.status).toBe(404);
    expect(missing.json.success).toBe(false);
    const wrong = await api(base, "PATCH", keyPath(ws.repo.id, "x"), { token: ws.OWNER.token, body: {} });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("PUT, DELETE");
  });

  it("serves an OpenAPI 3 document generated from the procedures", async () => {
    const res = await api(base, "GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.json.openapi).toMatch(/^3\./);
    expect(Object.keys(res.json.paths).sort()).toEqual([
      "/ai/apikey/verify",
      "/repo/{repoId}/ai/apikey",
      "/repo/{repoId}/ai/apikey/{apikeyId}",
      "/repo/{repoId}/ai/apikey/{apikeyId}/rotate",
      "/systemevent",
      "/workspace/{workspaceId}/webhook",
      "/workspace/{workspaceId}/webhook/delivery/{deliveryId}/resend",
      "/workspace/{workspaceId}/webhook/{endpointId}",
      "/workspace/{workspaceId}/webhook/{endpointId}/delivery",
      "/workspace/{workspaceId}/webhook/{endpointId}/resume",
      "/workspace/{workspaceId}/webhook/{endpointId}/rotate-secret",
    ]);
    expect(res.json.paths["/repo/{repoId}/ai/apikey"].post.responses["201"]).toBeDefined();
    expect(res.json.paths["/repo/{repoId}/ai/apikey/{apikeyId}/rotate"].post.responses["201"]).toBeDefined();
    const verify = res.json.paths["/ai/apikey/verify"].post;
    expect(verify.requestBody).toBeDefined();
    expect(JSON.stringify(verify.responses["200"])).toMatch(/EXPIRED/);
    // Checked by a validator nobody here wrote, against the OpenAPI specification's schema.
    await expect(SwaggerParser.validate(structuredClone(res.json))).resolves.toBeDefined();
    expect(res.json.paths["/repo/{repoId}/ai/apikey/{apikeyId}"].put.requestBody).toBeDefined();
  });

  it("writes one structured log line per request, and never a secret, a token or an Authorization header", async () => {
    const before = h.logs.length;
    const key = await createKey("Logged");
    await api(base, "PUT", keyPath(ws.repo.id, key.id), { token: ws.MEMBER.token, body: { name: "Logged 2" } });
    const lines = h.logs.slice(before).map((l) => JSON.parse(l));
    const requests = lines.filter((l) => l.msg === "request");
    expect(requests).toHaveLength(2);
    expect(requests[1]).toMatchObject({
      method: "PUT",
      path: keyPath(ws.repo.id, key.id),
      status: 200,
      userId: ws.MEMBER.actor.userId,
      requestId: expect.any(String),
      durationMs: expect.any(Number),
    });
    const everything = h.logs.join("\n");
    expect(everything).not.toContain(key.secret);
    for (const role of ["OWNER", "ADMIN", "MEMBER", "VIEWER"] as const)
      expect(everything).not.toContain(ws[role].token);
    expect(everything.toLowerCase()).not.toContain("bearer");
  });
});

describe("compatibility with Flashback's system-event query", () => {
  it("accepts its showUnread filter (every event counts as unread here)", async () => {
    const res = await api(base, "POST", "/systemevent", {
      token: ws.VIEWER.token,
      body: { skip: 0, take: 5, showUnread: true },
    });
    expect(res.status).toBe(200);
    expect(res.json.events.length).toBeGreaterThan(0);
  });
});
