// API tokens as a thief with one would try them: minting a successor, revoking the owner's other tokens,
// piling up tokens. And the audit trail: every change a person makes, tokens included, writes its event.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Actor,
  type Context,
  createCaller,
  maxActiveApiTokensPerUser,
  maxListedApiTokens,
  typedCallContext,
} from "../src";
import { setMember } from "../src/admin/operator-actions";
import { procedureCatalog } from "../src/http/procedure-catalog";
import { api, createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";

let h: Harness;
let ws: WorkspaceFixture;

beforeAll(async () => {
  h = await startHarness();
  ws = await createWorkspaceFixture(h.services);
});
afterAll(() => h.close());

/** The calls the web app makes for a signed-in person (server.ts resolves the cookie to this context). */
const asSession = (actor: Actor) =>
  createCaller({
    services: h.services,
    actor,
    credential: { kind: "session" },
    channel: "web",
    requestId: "test",
  } satisfies Context);

const tokenRows = (userId: string) =>
  h.services.db.prisma.apiToken.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
const eventsOf = (contextId: string) =>
  h.services.db.prisma.systemEvent.findMany({ where: { contextId }, orderBy: { id: "asc" } });

describe("a bearer token", () => {
  it("cannot mint a token, nor revoke one, over the tRPC endpoint", async () => {
    const before = await tokenRows(ws.VIEWER.actor.userId);
    const minted = await api(h.baseUrl, "POST", "/api/trpc/createApiToken", {
      token: ws.VIEWER.token,
      body: { name: "successor" },
    });
    expect(minted.status).toBe(403);
    expect(minted.json.error.message).toMatch(/An API token cannot create or revoke API tokens: sign in/);
    const revoked = await api(h.baseUrl, "POST", "/api/trpc/revokeApiToken", {
      token: ws.VIEWER.token,
      body: { id: before[0]!.id },
    });
    expect(revoked.status).toBe(403);
    const states = (rows: typeof before) => rows.map((t) => [t.id, t.revokedAt]);
    expect(states(await tokenRows(ws.VIEWER.actor.userId))).toEqual(states(before));
    // It still lists its holder's tokens (read-only).
    const listed = await api(h.baseUrl, "GET", "/api/trpc/listApiTokens", { token: ws.VIEWER.token });
    expect(listed.status).toBe(200);
  });

  it("is minted and revoked by a signed-in person, each with its event in the same statement", async () => {
    const person = asSession(ws.MEMBER.actor);
    const { token, apiToken } = await person.createApiToken({ name: "ci deploy", expiresInDays: 30 });
    const [created] = await eventsOf(apiToken.id);
    expect(created).toMatchObject({
      context: "apikey",
      event: "created",
      userId: ws.MEMBER.actor.userId,
      workspaceId: null,
      jsonData: { before: null, after: { name: "ci deploy", prefix: apiToken.prefix, revokedAt: null }, via: "web" },
    });
    await person.revokeApiToken({ id: apiToken.id });
    const events = await eventsOf(apiToken.id);
    expect(events.map((e) => e.event)).toEqual(["created", "deleted"]);
    expect(events[1]!.jsonData).toMatchObject({
      before: { name: "ci deploy", revokedAt: null },
      after: { name: "ci deploy", revokedAt: expect.any(String) },
      via: "web",
    });
    // Never the token or its hash.
    const stored = await tokenRows(ws.MEMBER.actor.userId);
    const hash = Buffer.from(stored.find((t) => t.id === apiToken.id)!.tokenHash);
    for (const event of events) {
      const text = JSON.stringify(event.jsonData);
      expect(text).not.toContain(token);
      expect(text).not.toContain(token.slice(apiToken.prefix.length));
      expect(text).not.toContain(hash.toString("hex"));
      expect(text).not.toContain(hash.toString("base64"));
    }
    // A failed revocation (already revoked) writes nothing.
    await expect(person.revokeApiToken({ id: apiToken.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await eventsOf(apiToken.id)).toHaveLength(2);
  });

  it("events are seen by their person only, not by the others in their workspaces", async () => {
    const { apiToken } = await asSession(ws.ADMIN.actor).createApiToken({ name: "personal" });
    const seenBy = async (actor: Actor) =>
      (await createCaller(typedCallContext(h.services, actor)).listSystemEvents({ contextId: apiToken.id })).events;
    expect((await seenBy(ws.ADMIN.actor)).map((e) => e.event)).toEqual(["created"]);
    expect(await seenBy(ws.OWNER.actor)).toEqual([]);
    expect(await seenBy(ws.VIEWER.actor)).toEqual([]);
  });
});

describe("the number of tokens", () => {
  it(`is capped at ${maxActiveApiTokensPerUser} active tokens a person; revoked and expired ones do not count`, async () => {
    const fixture = await createWorkspaceFixture(h.services);
    const person = asSession(fixture.MEMBER.actor);
    const active = await person.listApiTokens();
    for (let i = active.length; i < maxActiveApiTokensPerUser; i++) await person.createApiToken({ name: `t${i}` });
    const eventsBefore = await h.services.db.prisma.systemEvent.count({
      where: { userId: fixture.MEMBER.actor.userId },
    });
    await expect(person.createApiToken({ name: "one too many" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(`already have ${maxActiveApiTokensPerUser} active API tokens`),
    });
    expect(await h.services.db.prisma.systemEvent.count({ where: { userId: fixture.MEMBER.actor.userId } })).toBe(
      eventsBefore,
    );
    const [first, second] = await tokenRows(fixture.MEMBER.actor.userId);
    await person.revokeApiToken({ id: first!.id });
    await person.createApiToken({ name: "after a revocation" });
    await expect(person.createApiToken({ name: "full again" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await h.services.db.sql.query(`UPDATE "ApiToken" SET "expiresAt" = now() - interval '1 second' WHERE id = $1`, [
      second!.id,
    ]);
    await person.createApiToken({ name: "after an expiry" });
    expect(await tokenRows(fixture.MEMBER.actor.userId)).toHaveLength(maxActiveApiTokensPerUser + 2);
  });

  it(`listed: every active token first, at most ${maxListedApiTokens} in all`, async () => {
    const fixture = await createWorkspaceFixture(h.services);
    const userId = fixture.VIEWER.actor.userId;
    await h.services.db.sql.query(
      `INSERT INTO "ApiToken" ("userId", name, prefix, "tokenHash", "revokedAt", "createdAt")
       SELECT $1, 'old ' || n, 'rkt_old', sha256(($1 || n)::bytea), now(), now() + n * interval '1 ms'
       FROM generate_series(1, $2::int) n`,
      [userId, maxListedApiTokens + 20],
    );
    const listed = await asSession(fixture.VIEWER.actor).listApiTokens();
    expect(listed).toHaveLength(maxListedApiTokens);
    expect(listed[0]).toMatchObject({ name: "tests", revokedAt: null });
  });
});

/** An endpoint made through the typed caller; a public address, so no name to resolve; no key events sent to it. */
const webhookEndpointBy = async (actor: Actor) =>
  (
    await createCaller(typedCallContext(h.services, actor)).createWebhookEndpoint({
      workspaceId: ws.workspace.id,
      url: "https://93.184.215.14/audited",
      events: ["apikey.expiring"],
    })
  ).endpoint;

/**
 * One entry per mutation on the router: a successful call as `actor`, returning the id its event records.
 * A mutation added without an entry here fails the inventory test.
 */
const mutations: Record<string, (actor: Actor) => Promise<string>> = {
  createAiApiKey: async (actor) =>
    (await asSession(actor).createAiApiKey({ repoId: ws.repo.id, name: "audited", aiType: "OTHER" })).id,
  updateAiApiKey: async (actor) => {
    const { id } = await createCaller(typedCallContext(h.services, actor)).createAiApiKey({
      repoId: ws.repo.id,
      name: "to rename",
      aiType: "OTHER",
    });
    await asSession(actor).updateAiApiKey({ repoId: ws.repo.id, apikeyId: id, name: "renamed" });
    return id;
  },
  deleteAiApiKey: async (actor) => {
    const { id } = await createCaller(typedCallContext(h.services, actor)).createAiApiKey({
      repoId: ws.repo.id,
      name: "to delete",
      aiType: "OTHER",
    });
    await asSession(actor).deleteAiApiKey({ repoId: ws.repo.id, apikeyId: id });
    return id;
  },
  rotateAiApiKey: async (actor) => {
    const { id } = await createCaller(typedCallContext(h.services, actor)).createAiApiKey({
      repoId: ws.repo.id,
      name: "to rotate",
      aiType: "OTHER",
    });
    await asSession(actor).rotateAiApiKey({ repoId: ws.repo.id, apikeyId: id, graceSeconds: 60 });
    return id;
  },
  createApiToken: async (actor) => (await asSession(actor).createApiToken({ name: "audited" })).apiToken.id,
  createWebhookEndpoint: async (actor) =>
    (
      await asSession(actor).createWebhookEndpoint({
        workspaceId: ws.workspace.id,
        url: "https://93.184.215.14/audited",
        events: ["apikey.expiring"],
      })
    ).endpoint.id,
  updateWebhookEndpoint: async (actor) => {
    const { id } = await webhookEndpointBy(actor);
    await asSession(actor).updateWebhookEndpoint({
      workspaceId: ws.workspace.id,
      endpointId: id,
      events: ["apikey.expiring", "apikey.deleted"],
    });
    return id;
  },
  deleteWebhookEndpoint: async (actor) => {
    const { id } = await webhookEndpointBy(actor);
    await asSession(actor).deleteWebhookEndpoint({ workspaceId: ws.workspace.id, endpointId: id });
    return id;
  },
  rotateWebhookSecret: async (actor) => {
    const { id } = await webhookEndpointBy(actor);
    await asSession(actor).rotateWebhookSecret({ workspaceId: ws.workspace.id, endpointId: id });
    return id;
  },
  resumeWebhookEndpoint: async (actor) => {
    const { id } = await webhookEndpointBy(actor);
    // Paused as the worker pauses one: resuming an endpoint that is not paused changes nothing and records nothing.
    await h.services.db.sql.query(
      `UPDATE "WebhookEndpoint" SET "pausedAt" = now(), "failureStreak" = 30 WHERE id = $1`,
      [id],
    );
    await asSession(actor).resumeWebhookEndpoint({ workspaceId: ws.workspace.id, endpointId: id });
    return id;
  },
  resendWebhookDelivery: async (actor) => {
    const { id: endpointId } = await webhookEndpointBy(actor);
    const [delivery] = await h.services.db.sql.query<{ id: string }>(
      `INSERT INTO "WebhookDelivery" ("endpointId", "eventId", event, payload, status, "nextAttemptAt")
       VALUES ($1, 'evt_audited', 'apikey.expiring', '{}', 'failed', NULL) RETURNING id`,
      [endpointId],
    );
    await asSession(actor).resendWebhookDelivery({ workspaceId: ws.workspace.id, deliveryId: delivery!.id });
    return delivery!.id;
  },
  revokeApiToken: async (actor) => {
    const { apiToken } = await createCaller(typedCallContext(h.services, actor)).createApiToken({ name: "revoke" });
    await asSession(actor).revokeApiToken({ id: apiToken.id });
    return apiToken.id;
  },
};

describe("every change a person makes", () => {
  it("has a case for every mutation on the router", () => {
    const onRouter = procedureCatalog()
      .filter(({ type }) => type === "mutation")
      .map(({ name }) => name)
      // A mutation only because the secret must travel in a POST body: a gateway's check, no person's change.
      .filter((name) => name !== "verifyAiApiKey");
    expect(onRouter.sort()).toEqual(Object.keys(mutations).sort());
  });

  it.each(Object.keys(mutations))("%s writes an event naming the person and the web channel", async (name) => {
    // Webhooks are the workspace's OWNERs' and ADMINs' to change.
    const actor = name.includes("Webhook") ? ws.ADMIN.actor : ws.MEMBER.actor;
    const id = await mutations[name]!(actor);
    const last = (await eventsOf(id)).at(-1);
    expect(last).toMatchObject({ contextId: id, userId: actor.userId, jsonData: { via: "web" } });
  });

  it("records a webhook endpoint's scheme and host, never its path or query", async () => {
    const { endpoint } = await asSession(ws.ADMIN.actor).createWebhookEndpoint({
      workspaceId: ws.workspace.id,
      url: "https://93.184.215.14:8443/hooks/s3cr3t-path?token=abc",
      events: ["apikey.expiring"],
    });
    const [created] = await eventsOf(endpoint.id);
    expect(created).toMatchObject({ context: "webhookendpoint", event: "created", workspaceId: ws.workspace.id });
    expect(created!.jsonData).toEqual({
      before: null,
      after: { origin: "https://93.184.215.14:8443", events: ["apikey.expiring"] },
      via: "web",
    });
    expect(JSON.stringify(created!.jsonData)).not.toMatch(/s3cr3t|token=/);
    // Not in the audit listing every member reads.
    const listed = await asSession(ws.VIEWER.actor).listSystemEvents({ contextId: endpoint.id, skip: 0, take: 10 });
    expect(listed.events).toEqual([]);
  });

  it("an operator's role change writes its event with the role before and after; the same role again writes none", async () => {
    const memberId = ws.VIEWER.actor.userId;
    const roleEvents = () =>
      h.services.db.prisma.systemEvent.findMany({
        where: { context: "workspaceuser", contextId: memberId },
        orderBy: { id: "asc" },
      });
    const joined = await roleEvents();
    expect(joined.map((e) => e.event)).toEqual(["created"]);
    expect(joined[0]).toMatchObject({ workspaceId: ws.workspace.id, userId: null, jsonData: { via: "operator" } });
    await setMember(h.services, { workspaceId: ws.workspace.id, email: ws.VIEWER.actor.email, role: "MEMBER" });
    await setMember(h.services, { workspaceId: ws.workspace.id, email: ws.VIEWER.actor.email, role: "MEMBER" });
    const events = await roleEvents();
    expect(events.map((e) => e.event)).toEqual(["created", "updated"]);
    expect(events[1]!.jsonData).toMatchObject({ before: { role: "VIEWER" }, after: { role: "MEMBER" } });
    await setMember(h.services, { workspaceId: ws.workspace.id, email: ws.VIEWER.actor.email, role: "VIEWER" });
  });
});
