// The Flashback-compatible client against a real server, method by method. One file past 300 lines on purpose:
// every method's cases share one harness, which a file each would start again.
import {
  createGatewayToken,
  createWorkspaceFixture,
  type Harness,
  startHarness,
  type WorkspaceFixture,
} from "@repokeys/api/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AiType, ApiClient, HttpError } from "../src";

let h: Harness;
let ws: WorkspaceFixture;
let outsider: WorkspaceFixture;

beforeAll(async () => {
  h = await startHarness();
  ws = await createWorkspaceFixture(h.services);
  outsider = await createWorkspaceFixture(h.services);
});
afterAll(() => h.close());

function clientFor(token: string | null, baseUrl = h.baseUrl) {
  const client = new ApiClient(baseUrl);
  client.setAuthToken(token);
  return client;
}

/** The HttpError a call fails with; fails the test if the call succeeds or throws anything else. */
async function failure(call: Promise<unknown>): Promise<HttpError> {
  const error = await call.then(
    (value) => {
      throw new Error(`expected an HttpError, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

async function createKey(name = "Production key", client = clientFor(ws.MEMBER.token), repoId = ws.repo.id) {
  return client.createRepoAiApiKey(repoId, { name, aiType: AiType.OPENAI });
}

describe("the key methods against the real server", () => {
  it("createRepoAiApiKey answers the new key with its secret", async () => {
    const created = await clientFor(ws.MEMBER.token).createRepoAiApiKey(ws.repo.id, {
      name: "  Build server ",
      aiType: "ANTHROPIC",
    });
    expect(created).toMatchObject({ success: true, id: expect.any(String), key: expect.stringMatching(/^rk_/) });
    expect(created.secret).toMatch(/^rks_/);
  });

  it("getRepoAiApiKeys lists live keys newest first, with ISO dates and no secret", async () => {
    const client = clientFor(ws.MEMBER.token);
    const first = await createKey("first");
    const second = await createKey("second");
    const listed = await clientFor(ws.VIEWER.token).getRepoAiApiKeys(ws.repo.id);
    expect(listed.success).toBe(true);
    const ids = listed.apiKeys.map((key) => key.id);
    expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id));
    const dto = listed.apiKeys.find((key) => key.id === first.id)!;
    expect(dto).toEqual({
      id: first.id,
      name: "first",
      repoId: ws.repo.id,
      key: first.key,
      aiType: "OPENAI",
      createdAt: expect.any(String),
      deletedAt: null,
      expiresAt: null,
      lastUsedAt: null,
      version: expect.stringMatching(/^\d+$/),
      replacedById: null,
    });
    expect(new Date(dto.createdAt).toISOString()).toBe(dto.createdAt);
    expect(JSON.stringify(listed)).not.toContain(first.secret);
    await client.deleteRepoAiApiKey(ws.repo.id, second.id);
    expect((await client.getRepoAiApiKeys(ws.repo.id)).apiKeys.map((key) => key.id)).not.toContain(second.id);
  });

  it("updateRepoAiApiKey with ifVersion renames only the key as last seen; a stale one is a 412 naming the current name", async () => {
    const client = clientFor(ws.MEMBER.token);
    const key = await createKey("Seen");
    const seen = (await client.getRepoAiApiKeys(ws.repo.id)).apiKeys.find((k) => k.id === key.id)!;
    const renamed = await client.updateRepoAiApiKey(
      ws.repo.id,
      key.id,
      { name: "Theirs" },
      { ifVersion: seen.version },
    );
    expect(renamed.version).toMatch(/^\d+$/);
    expect(renamed.version).not.toBe(seen.version);
    const stale = await failure(
      client.updateRepoAiApiKey(ws.repo.id, key.id, { name: "Mine" }, { ifVersion: seen.version }),
    );
    expect(stale.status).toBe(412);
    expect(stale.data.current).toEqual({ name: "Theirs", version: renamed.version });
    expect((await client.getRepoAiApiKeys(ws.repo.id)).apiKeys.find((k) => k.id === key.id)!.name).toBe("Theirs");
  });

  it("getRepoAiApiKeysPage pages through the same list with nextCursor, and refuses a cursor it did not give", async () => {
    const { repo } = await createWorkspaceFixture(h.services).then(async (fixture) => {
      for (const name of ["a", "b", "c", "d", "e"])
        await createKey(name, clientFor(fixture.MEMBER.token), fixture.repo.id);
      return { repo: { id: fixture.repo.id, token: fixture.VIEWER.token } };
    });
    const client = clientFor(repo.token);
    const whole = (await client.getRepoAiApiKeys(repo.id)).apiKeys.map((key) => key.id);
    const paged: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await client.getRepoAiApiKeysPage(repo.id, { limit: 2, cursor });
      paged.push(...page.apiKeys.map((key) => key.id));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(paged).toEqual(whole);
    expect(whole).toHaveLength(5);
    const refused = await failure(client.getRepoAiApiKeysPage(repo.id, { limit: 2, cursor: "bm90LWEtY3Vyc29y" }));
    expect(refused.status).toBe(400);
  });

  it("updateRepoAiApiKey renames, and {} is a no-op", async () => {
    const client = clientFor(ws.MEMBER.token);
    const key = await createKey("Old name");
    expect(await client.updateRepoAiApiKey(ws.repo.id, key.id, { name: "New name" })).toEqual({
      success: true,
      message: "AI API key updated successfully",
    });
    expect(await client.updateRepoAiApiKey(ws.repo.id, key.id, {})).toMatchObject({ success: true });
    const listed = (await client.getRepoAiApiKeys(ws.repo.id)).apiKeys.find((k) => k.id === key.id);
    expect(listed).toMatchObject({ name: "New name", key: key.key });
  });

  it("deleteRepoAiApiKey soft-deletes once, then answers 404", async () => {
    const client = clientFor(ws.ADMIN.token);
    const key = await createKey("Doomed");
    expect(await client.deleteRepoAiApiKey(ws.repo.id, key.id)).toEqual({
      success: true,
      message: "AI API key deleted successfully",
    });
    const again = await failure(client.deleteRepoAiApiKey(ws.repo.id, key.id));
    expect(again.status).toBe(404);
  });
});

describe("rotation and the gateway's verification", () => {
  it("rotateRepoAiApiKey gives a new key; the old one verifies until its grace ends, then answers EXPIRED", async () => {
    const gateway = clientFor(await createGatewayToken(h.services, { name: "client tests" }));
    const old = await createKey("rotated");
    expect(await gateway.verifyAiApiKey({ key: old.key, secret: old.secret })).toMatchObject({
      valid: true,
      apikeyId: old.id,
      aiType: "OPENAI",
    });
    const rotated = await clientFor(ws.MEMBER.token).rotateRepoAiApiKey(ws.repo.id, old.id, { graceSeconds: 0 });
    expect(rotated).toMatchObject({ success: true, previousId: old.id, key: expect.stringMatching(/^rk_/) });
    expect(await gateway.verifyAiApiKey({ key: old.key, secret: old.secret })).toEqual({
      valid: false,
      code: "EXPIRED",
    });
    expect(await gateway.verifyAiApiKey({ key: rotated.key, secret: rotated.secret })).toMatchObject({ valid: true });
    expect(await gateway.verifyAiApiKey({ key: rotated.key, secret: old.secret })).toEqual({
      valid: false,
      code: "INVALID",
    });
    const listed = await clientFor(ws.VIEWER.token).getRepoAiApiKeys(ws.repo.id);
    expect(listed.apiKeys.find((k) => k.id === old.id)?.expiresAt).toBe(rotated.previousExpiresAt);
  });

  it("getRepoAiApiKeysWithUsage shows each key's verifications once the server has written them", async () => {
    const key = await createKey("counted");
    const gateway = clientFor(await createGatewayToken(h.services, { name: "usage tests" }));
    for (let i = 0; i < 3; i++) await gateway.verifyAiApiKey({ key: key.key, secret: key.secret });
    await gateway.verifyAiApiKey({ key: key.key, secret: `${key.secret}x` });
    await h.services.keyUsage.flush();
    const today = new Date().toISOString().slice(0, 10);
    const listed = await clientFor(ws.VIEWER.token).getRepoAiApiKeysWithUsage(ws.repo.id, { limit: 1000 });
    expect(listed.usage.to).toBe(today);
    expect(listed.usage.keys.map((k) => k.apikeyId)).toEqual(listed.apiKeys.map((k) => k.id));
    expect(listed.usage.keys.find((k) => k.apikeyId === key.id)).toEqual({
      apikeyId: key.id,
      valid: 3,
      refused: 1,
      days: [{ day: today, valid: 3, refused: 1 }],
    });
    const page = await clientFor(ws.VIEWER.token).getRepoAiApiKeysWithUsage(ws.repo.id, { limit: 1 });
    expect(page.usage.keys).toEqual([listed.usage.keys[0]]);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it("verifyAiApiKey with a personal token throws a 403 that says to use a gateway token", async () => {
    const key = await createKey("not for people");
    const error = await failure(clientFor(ws.OWNER.token).verifyAiApiKey({ key: key.key, secret: key.secret }));
    expect(error.status).toBe(403);
    expect(error.data.message).toMatch(/use a gateway token/);
  });
});

describe("getSystemEvents", () => {
  it("returns a key's events, filtered by context and event given as a name or as Flashback's index", async () => {
    const client = clientFor(ws.VIEWER.token);
    const writer = clientFor(ws.MEMBER.token);
    const key = await createKey("Evented");
    await writer.updateRepoAiApiKey(ws.repo.id, key.id, { name: "Evented 2" });
    await writer.deleteRepoAiApiKey(ws.repo.id, key.id);

    const all = await client.getSystemEvents({ skip: 0, take: 10, contextId: key.id });
    expect(all).toMatchObject({ total: 3, skip: 0, take: 10 });
    expect(all.events.map((e) => e.event)).toEqual(["deleted", "updated", "created"]);

    const byName = await client.getSystemEvents({
      skip: 0,
      take: 10,
      contextId: key.id,
      context: "aillmapikey",
      event: "updated",
    });
    const byIndex = await client.getSystemEvents({ skip: 0, take: 10, contextId: key.id, context: 12, event: 1 });
    expect(byIndex).toEqual(byName);
    const [event] = byName.events;
    expect(event).toMatchObject({
      id: expect.any(Number),
      contextId: key.id,
      context: "aillmapikey",
      event: "updated",
      userId: ws.MEMBER.actor.userId,
      userEmail: ws.MEMBER.actor.email,
      workspaceId: ws.workspace.id,
    });
    expect(JSON.parse(event!.jsonData!)).toMatchObject({ before: { name: "Evented" }, after: { name: "Evented 2" } });

    const page = await client.getSystemEvents({ skip: 1, take: 1, contextId: key.id });
    expect(page).toMatchObject({ total: 3, skip: 1, take: 1 });
    expect(page.events.map((e) => e.event)).toEqual(["updated"]);
  });

  it("shows a user only the events of their own workspaces", async () => {
    const theirs = await createKey("Not yours", clientFor(outsider.MEMBER.token), outsider.repo.id);
    const seen = await clientFor(ws.VIEWER.token).getSystemEvents({ skip: 0, take: 10, contextId: theirs.id });
    expect(seen).toMatchObject({ total: 0, events: [] });
  });
});

describe("failures throw HttpError with the status and the parsed { success, message } body", () => {
  it("400: invalid input, with a message that says what to fix", async () => {
    const client = clientFor(ws.MEMBER.token);
    const key = await createKey("Valid");
    const badType = await failure(
      client.createRepoAiApiKey(ws.repo.id, { name: "x", aiType: "SKYNET" as unknown as AiType }),
    );
    expect(badType.status).toBe(400);
    expect(badType.data).toMatchObject({
      success: false,
      code: "BAD_REQUEST",
      message: expect.stringMatching(/aiType must be one of/),
    });
    expect(badType.message).toBe(`HTTP Error 400: ${badType.data.message}`);
    expect(badType.statusText).toBe("Bad Request");

    const blank = await failure(client.updateRepoAiApiKey(ws.repo.id, key.id, { name: "   " }));
    expect(blank.status).toBe(400);
    expect(blank.data.issues).toEqual([{ path: "name", message: expect.stringMatching(/must not be empty/) }]);

    // A caller that bypasses the types still cannot reach the secret; the message explains rotation.
    const tamper = await failure(client.updateRepoAiApiKey(ws.repo.id, key.id, { secret: "x" } as object));
    expect(tamper.status).toBe(400);
    expect(tamper.data.message).toMatch(/secret cannot be modified.*rotate the key/);

    const badQuery = await failure(client.getSystemEvents({ skip: 0, take: 0 }));
    expect(badQuery.status).toBe(400);
    expect(badQuery.data.message).toMatch(/take must be at least 1/);

    // Ids travel as one path segment, so "../" cannot steer a call to another route.
    const traversal = await failure(client.updateRepoAiApiKey(ws.repo.id, "../../systemevent", { name: "x" }));
    expect(traversal.status).toBe(400);
    expect(traversal.data.message).toMatch(/apikeyId is not a valid id/);
  });

  it("401: every method, without a token, with an unknown one, and after setAuthToken(null)", async () => {
    const key = await createKey("Auth");
    // Thunks, not promises: each call starts only when awaited, so no rejection goes unhandled meanwhile.
    const calls = (client: ApiClient) => [
      () => client.createRepoAiApiKey(ws.repo.id, { name: "x", aiType: "AWS" }),
      () => client.getRepoAiApiKeys(ws.repo.id),
      () => client.updateRepoAiApiKey(ws.repo.id, key.id, { name: "x" }),
      () => client.deleteRepoAiApiKey(ws.repo.id, key.id),
      () => client.getSystemEvents({ skip: 0, take: 1 }),
    ];
    const cleared = clientFor(ws.OWNER.token);
    cleared.setAuthToken(null);
    for (const client of [new ApiClient(h.baseUrl), clientFor("rkt_thisTokenDoesNotExist"), cleared]) {
      for (const call of calls(client)) {
        const error = await failure(call());
        expect(error.status).toBe(401);
        expect(error.data).toMatchObject({ success: false, message: expect.any(String) });
        expect(error.headers.get("www-authenticate")).toMatch(/^Bearer/);
      }
    }
  });

  it("403: a VIEWER writing, a stranger reading, and a repository that does not exist", async () => {
    const key = await createKey("Guarded");
    const viewer = clientFor(ws.VIEWER.token);
    for (const call of [
      () => viewer.createRepoAiApiKey(ws.repo.id, { name: "v", aiType: "OTHER" }),
      () => viewer.updateRepoAiApiKey(ws.repo.id, key.id, { name: "v" }),
      () => viewer.deleteRepoAiApiKey(ws.repo.id, key.id),
    ]) {
      const error = await failure(call());
      expect(error.status).toBe(403);
      expect(error.data.message).toMatch(/^Insufficient permissions/);
    }
    const stranger = await failure(clientFor(outsider.OWNER.token).getRepoAiApiKeys(ws.repo.id));
    const nowhere = await failure(clientFor(ws.OWNER.token).getRepoAiApiKeys("no-such-repo"));
    expect([stranger.status, nowhere.status]).toEqual([403, 403]);
    expect(nowhere.data).toEqual(stranger.data);
  });

  it("404: a deleted key, another repository's key and one that never existed", async () => {
    const client = clientFor(ws.MEMBER.token);
    const deleted = await createKey("Gone");
    await client.deleteRepoAiApiKey(ws.repo.id, deleted.id);
    const foreign = await createKey("Theirs", clientFor(outsider.MEMBER.token), outsider.repo.id);
    for (const id of [deleted.id, foreign.id, "00000000-0000-4000-8000-000000000000"]) {
      const error = await failure(client.updateRepoAiApiKey(ws.repo.id, id, { name: "revived" }));
      expect(error.status, id).toBe(404);
      expect(error.data).toEqual({
        success: false,
        code: "NOT_FOUND",
        message: expect.stringMatching(/^API key not found/),
      });
    }
  });

  it("413: a body over the documented limit", async () => {
    const key = await createKey("Body");
    const error = await failure(
      clientFor(ws.MEMBER.token).updateRepoAiApiKey(ws.repo.id, key.id, { name: "x".repeat(20_000) }),
    );
    expect(error.status).toBe(413);
    expect(error.data).toMatchObject({
      success: false,
      message: expect.stringMatching(/larger than the limit of 16384 bytes/),
    });
  });

  it("a response that is not an API error body still gives a { success: false, message } body", async () => {
    // The harness answers paths outside the API with an empty 404, as a misconfigured proxy might.
    const error = await failure(clientFor(ws.OWNER.token, `${h.baseUrl}/not-the-api`).getRepoAiApiKeys(ws.repo.id));
    expect(error.status).toBe(404);
    expect(error.data).toEqual({
      success: false,
      message: "Not Found (HTTP 404; the response was not an API error body).",
    });
  });
});

describe("ApiClient ergonomics kept from Flashback's client", () => {
  it("takes a base URL with or without a trailing slash, and methods work detached", async () => {
    const client = clientFor(ws.MEMBER.token, `${h.baseUrl}/`);
    const { getRepoAiApiKeys } = client;
    expect((await getRepoAiApiKeys(ws.repo.id)).success).toBe(true);
  });

  it("setDebug logs method, URL and status, never the token", async () => {
    const log = vi.spyOn(console, "debug").mockImplementation(() => {});
    try {
      const client = clientFor(ws.MEMBER.token);
      client.setDebug(true);
      await client.getRepoAiApiKeys(ws.repo.id);
      expect(log).toHaveBeenCalledOnce();
      const line = String(log.mock.calls[0]![0]);
      expect(line).toMatch(
        new RegExp(`^repokeys: GET ${h.baseUrl}/repo/${ws.repo.id}/ai/apikey -> 200 \\(\\d+ ms\\)$`),
      );
      expect(line).not.toContain(ws.MEMBER.token);
    } finally {
      log.mockRestore();
    }
  });
});
