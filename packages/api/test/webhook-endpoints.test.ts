// Registering webhook endpoints, by tRPC and REST: who may, which URLs (no SSRF), the bounds, and that the
// signing secret is shown once and never again. Without WEBHOOK_ALLOW_PRIVATE, as in production.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Actor, createCaller, maxWebhookEndpointsPerWorkspace, typedCallContext } from "../src";
import { api, createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";
import { startWebhookReceiver } from "./support/webhook-receiver";

let h: Harness;
let ws: WorkspaceFixture;
let other: WorkspaceFixture;

beforeAll(async () => {
  h = await startHarness({ webhooks: { pollMs: 25 } });
  ws = await createWorkspaceFixture(h.services);
  other = await createWorkspaceFixture(h.services);
});
afterAll(() => h.close());

const as = (actor: Actor) => createCaller(typedCallContext(h.services, actor));
// A public address literal: nothing to resolve, and nothing is sent there (no key changes reach it).
const publicUrl = "https://8.8.8.8/hooks";
const allEvents = ["apikey.created", "apikey.updated", "apikey.rotated", "apikey.deleted", "apikey.expiring"];

describe("endpoints", () => {
  it("an OWNER registers one: the secret is in that answer only, never in a list, and sealed at rest", async () => {
    const created = await as(ws.OWNER.actor).createWebhookEndpoint({
      workspaceId: ws.workspace.id,
      url: publicUrl,
      events: ["apikey.created", "apikey.deleted"],
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.endpoint).toEqual({
      id: expect.any(String),
      url: publicUrl,
      events: ["apikey.created", "apikey.deleted"],
      createdAt: expect.any(String),
      secretRotatedAt: null,
      lastDelivery: null,
      pausedAt: null,
      failuresInARow: 0,
      droppedDeliveries: 0,
    });
    const listed = await as(ws.ADMIN.actor).listWebhookEndpoints({ workspaceId: ws.workspace.id });
    expect(listed.endpoints.map((e) => e.id)).toContain(created.endpoint.id);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    const rest = await api(h.baseUrl, "GET", `/workspace/${ws.workspace.id}/webhook`, { token: ws.OWNER.token });
    expect(rest.status).toBe(200);
    expect(rest.text).not.toContain(created.secret);
    expect(rest.text).not.toContain("secretCiphertext");
    const [row] = await h.services.db.sql.query<{ stored: string }>(
      `SELECT encode("secretCiphertext", 'escape') AS stored FROM "WebhookEndpoint" WHERE id = $1`,
      [created.endpoint.id],
    );
    expect(row!.stored).not.toContain(created.secret.slice(6));
  });

  it("an ADMIN changes the URL and events, rotates the secret (shown once), deletes it (then 404)", async () => {
    const admin = as(ws.ADMIN.actor);
    const { endpoint, secret } = await admin.createWebhookEndpoint({
      workspaceId: ws.workspace.id,
      url: publicUrl,
      events: allEvents as never,
    });
    const updated = await admin.updateWebhookEndpoint({
      workspaceId: ws.workspace.id,
      endpointId: endpoint.id,
      events: ["apikey.rotated"],
    });
    expect(updated.endpoint).toMatchObject({ id: endpoint.id, url: publicUrl, events: ["apikey.rotated"] });
    const moved = await admin.updateWebhookEndpoint({
      workspaceId: ws.workspace.id,
      endpointId: endpoint.id,
      url: "https://1.1.1.1/other",
    });
    expect(moved.endpoint).toMatchObject({ url: "https://1.1.1.1/other", events: ["apikey.rotated"] });
    const rotated = await admin.rotateWebhookSecret({ workspaceId: ws.workspace.id, endpointId: endpoint.id });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(secret);
    const listed = await admin.listWebhookEndpoints({ workspaceId: ws.workspace.id });
    const shown = listed.endpoints.find((e) => e.id === endpoint.id)!;
    expect(shown.secretRotatedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(rotated.secret);
    await expect(
      admin.deleteWebhookEndpoint({ workspaceId: ws.workspace.id, endpointId: endpoint.id }),
    ).resolves.toEqual({ success: true });
    for (const call of [
      () => admin.deleteWebhookEndpoint({ workspaceId: ws.workspace.id, endpointId: endpoint.id }),
      () => admin.rotateWebhookSecret({ workspaceId: ws.workspace.id, endpointId: endpoint.id }),
      () =>
        admin.updateWebhookEndpoint({
          workspaceId: ws.workspace.id,
          endpointId: endpoint.id,
          events: ["apikey.created"],
        }),
      () => admin.listWebhookDeliveries({ workspaceId: ws.workspace.id, endpointId: endpoint.id }),
    ])
      await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    const after = await admin.listWebhookEndpoints({ workspaceId: ws.workspace.id });
    expect(after.endpoints.map((e) => e.id)).not.toContain(endpoint.id);
  });

  it("works over REST with the contract's paths and statuses", async () => {
    const token = ws.OWNER.token;
    const base = `/workspace/${ws.workspace.id}/webhook`;
    const created = await api(h.baseUrl, "POST", base, { token, body: { url: publicUrl, events: ["apikey.updated"] } });
    expect(created.status).toBe(201);
    expect(created.json.secret).toMatch(/^whsec_/);
    const id = created.json.endpoint.id;
    const put = await api(h.baseUrl, "PUT", `${base}/${id}`, { token, body: { events: ["apikey.deleted"] } });
    expect(put.status).toBe(200);
    expect(put.json.endpoint.events).toEqual(["apikey.deleted"]);
    const rotated = await api(h.baseUrl, "POST", `${base}/${id}/rotate-secret`, { token, body: {} });
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).toMatch(/^whsec_/);
    const resumed = await api(h.baseUrl, "POST", `${base}/${id}/resume`, { token, body: {} });
    expect(resumed.status).toBe(200);
    expect(resumed.json.endpoint).toMatchObject({ id, pausedAt: null, failuresInARow: 0, droppedDeliveries: 0 });
    const log = await api(h.baseUrl, "GET", `${base}/${id}/delivery?limit=5`, { token });
    expect(log.status).toBe(200);
    expect(log.json).toEqual({ deliveries: [], nextCursor: null });
    const resend = await api(h.baseUrl, "POST", `${base}/delivery/no-such-delivery/resend`, { token, body: {} });
    expect(resend.status).toBe(404);
    const deleted = await api(h.baseUrl, "DELETE", `${base}/${id}`, { token });
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ success: true });
    expect((await api(h.baseUrl, "DELETE", `${base}/${id}`, { token })).status).toBe(404);
  });
});

describe("authorization", () => {
  it("MEMBER and VIEWER are FORBIDDEN, another workspace's OWNER gets NOT_FOUND, for every procedure", async () => {
    const { endpoint } = await as(ws.OWNER.actor).createWebhookEndpoint({
      workspaceId: ws.workspace.id,
      url: publicUrl,
      events: ["apikey.created"],
    });
    const workspaceId = ws.workspace.id;
    const endpointId = endpoint.id;
    const calls = (c: ReturnType<typeof as>) => [
      () => c.listWebhookEndpoints({ workspaceId }),
      () => c.createWebhookEndpoint({ workspaceId, url: publicUrl, events: ["apikey.created"] }),
      () => c.updateWebhookEndpoint({ workspaceId, endpointId, events: ["apikey.deleted"] }),
      () => c.deleteWebhookEndpoint({ workspaceId, endpointId }),
      () => c.rotateWebhookSecret({ workspaceId, endpointId }),
      () => c.resumeWebhookEndpoint({ workspaceId, endpointId }),
      () => c.listWebhookDeliveries({ workspaceId, endpointId }),
      () => c.resendWebhookDelivery({ workspaceId, deliveryId: "any" }),
    ];
    for (const role of ["MEMBER", "VIEWER"] as const)
      for (const call of calls(as(ws[role].actor)))
        await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining(role) });
    for (const call of calls(as(other.OWNER.actor))) await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Another workspace's endpoint through one's own workspace: not found either.
    await expect(
      as(other.OWNER.actor).deleteWebhookEndpoint({ workspaceId: other.workspace.id, endpointId }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const rest = await api(h.baseUrl, "GET", `/workspace/${workspaceId}/webhook`, { token: ws.MEMBER.token });
    expect(rest.status).toBe(403);
    const stranger = await api(h.baseUrl, "GET", `/workspace/${workspaceId}/webhook`, { token: other.OWNER.token });
    expect(stranger.status).toBe(404);
    const listed = await as(ws.OWNER.actor).listWebhookEndpoints({ workspaceId });
    expect(listed.endpoints.find((e) => e.id === endpointId)?.events).toEqual(["apikey.created"]);
  });
});

describe("the URL rule (no SSRF)", () => {
  const notPublic = /is not a public address/;
  it.each([
    ["http://8.8.8.8/hooks", /https:\/\//],
    ["https://127.0.0.1/hooks", notPublic],
    ["https://10.1.2.3/hooks", notPublic],
    ["https://192.168.0.10/hooks", notPublic],
    ["https://172.16.5.4/hooks", notPublic],
    ["https://100.64.0.1/hooks", notPublic],
    ["https://169.254.169.254/latest/meta-data", notPublic],
    ["https://0.0.0.0/hooks", notPublic],
    ["https://[::1]/hooks", notPublic],
    ["https://[fd00::1]/hooks", notPublic],
    ["https://[fe80::1]/hooks", notPublic],
    ["https://[::ffff:127.0.0.1]/hooks", notPublic],
    ["https://224.0.0.1/hooks", notPublic],
    // IPv4-compatible (::/96), whatever it carries: outside IPv6's global unicast space.
    ["https://[::127.0.0.1]/hooks", notPublic],
    ["https://[::8.8.8.8]/hooks", notPublic],
    // 6to4, Teredo, NAT64 (well-known and local-use prefixes), SIIT: each carries an IPv4 address.
    ["https://[2002:7f00:1::1]/hooks", notPublic],
    ["https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hooks", notPublic],
    ["https://[64:ff9b::a00:1]/hooks", notPublic],
    ["https://[64:ff9b:1::808:808]/hooks", notPublic],
    ["https://[::ffff:0:7f00:1]/hooks", notPublic],
    ["https://[2001:db8::1]/hooks", notPublic],
    ["https://[fec0::1]/hooks", notPublic],
    ["https://localhost/hooks", /host localhost is not a public address/],
    ["https://localhost./hooks", /host localhost\. is not a public address/],
    ["https://hooks.localhost/hooks", /host hooks\.localhost is not a public address/],
  ])("refuses %s with BAD_REQUEST", async (url, message) => {
    await expect(
      as(ws.OWNER.actor).createWebhookEndpoint({ workspaceId: ws.workspace.id, url, events: ["apikey.created"] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(message) });
  });

  it("refuses a change to a private URL, over REST too, and URLs with credentials or past 2048 characters", async () => {
    const { endpoint } = await as(ws.OWNER.actor).createWebhookEndpoint({
      workspaceId: ws.workspace.id,
      url: publicUrl,
      events: ["apikey.created"],
    });
    const base = `/workspace/${ws.workspace.id}/webhook`;
    const token = ws.OWNER.token;
    const put = await api(h.baseUrl, "PUT", `${base}/${endpoint.id}`, {
      token,
      body: { url: "https://localhost:3000/x" },
    });
    expect(put.status).toBe(400);
    expect(put.json.message).toMatch(/not a public address/);
    for (const url of [
      "https://user:pw@8.8.8.8/x",
      `https://8.8.8.8/${"a".repeat(2048)}`,
      "ftp://8.8.8.8/x",
      "not a url",
    ]) {
      const res = await api(h.baseUrl, "POST", base, { token, body: { url, events: ["apikey.created"] } });
      expect(res.status, url).toBe(400);
    }
    for (const events of [[], ["apikey.created", "apikey.created"], ["key.created"], "apikey.created"]) {
      const res = await api(h.baseUrl, "POST", base, { token, body: { url: publicUrl, events } });
      expect(res.status, JSON.stringify(events)).toBe(400);
    }
    const listed = await as(ws.OWNER.actor).listWebhookEndpoints({ workspaceId: ws.workspace.id });
    expect(listed.endpoints.find((e) => e.id === endpoint.id)?.url).toBe(publicUrl);
  });
});

describe("the URL as stored", () => {
  it("is the URL as parsed: a backslash typed in the path is a slash, and the event records the parsed origin", async () => {
    const owner = as(ws.OWNER.actor);
    const { endpoint } = await owner.createWebhookEndpoint({
      workspaceId: ws.workspace.id,
      url: "https://1.1.1.1\\path-secret?token=abc",
      events: ["apikey.created"],
    });
    expect(endpoint.url).toBe("https://1.1.1.1/path-secret?token=abc");
    const moved = await owner.updateWebhookEndpoint({
      workspaceId: ws.workspace.id,
      endpointId: endpoint.id,
      url: "HTTPS://8.8.8.8:443\\other-secret",
    });
    expect(moved.endpoint.url).toBe("https://8.8.8.8/other-secret");
    const [stored] = await h.services.db.sql.query<{ url: string }>(`SELECT url FROM "WebhookEndpoint" WHERE id = $1`, [
      endpoint.id,
    ]);
    expect(stored!.url).toBe("https://8.8.8.8/other-secret");
    const events = await h.services.db.prisma.systemEvent.findMany({
      where: { contextId: endpoint.id },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => e.jsonData)).toMatchObject([
      { before: null, after: { origin: "https://1.1.1.1" } },
      { before: { origin: "https://1.1.1.1" }, after: { origin: "https://8.8.8.8" } },
    ]);
    expect(JSON.stringify(events.map((e) => e.jsonData))).not.toMatch(/secret|token/);
  });

  it("an endpoint stored as typed before (with a backslash) is audited by its host alone", async () => {
    const owner = as(ws.OWNER.actor);
    const { endpoint } = await owner.createWebhookEndpoint({
      workspaceId: ws.workspace.id,
      url: publicUrl,
      events: ["apikey.created"],
    });
    await h.services.db.sql.query(`UPDATE "WebhookEndpoint" SET url = $2 WHERE id = $1`, [
      endpoint.id,
      "https://1.1.1.1\\path-secret",
    ]);
    await owner.deleteWebhookEndpoint({ workspaceId: ws.workspace.id, endpointId: endpoint.id });
    const deleted = await h.services.db.prisma.systemEvent.findFirst({
      where: { contextId: endpoint.id, event: "deleted" },
    });
    expect(deleted?.jsonData).toMatchObject({ before: { origin: "https://1.1.1.1" }, after: null });
  });
});

describe("the URL rule at delivery time", () => {
  it("an endpoint whose host now resolves to a private address gets nothing: the attempt is refused, logged, retried", async () => {
    const receiver = await startWebhookReceiver();
    try {
      const fixture = await createWorkspaceFixture(h.services);
      const { endpoint } = await as(fixture.OWNER.actor).createWebhookEndpoint({
        workspaceId: fixture.workspace.id,
        url: publicUrl,
        events: ["apikey.created"],
      });
      // As if its DNS had changed since registration: the host is now the local receiver.
      const local = receiver.url.replace("http://", "https://");
      await h.services.db.sql.query(`UPDATE "WebhookEndpoint" SET url = $2 WHERE id = $1`, [endpoint.id, local]);
      await as(fixture.MEMBER.actor).createAiApiKey({ repoId: fixture.repo.id, name: "k", aiType: "OTHER" });
      let entry: { lastError: string | null; status: string } | undefined;
      for (let i = 0; i < 200 && !entry?.lastError; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        [entry] = (
          await as(fixture.OWNER.actor).listWebhookDeliveries({
            workspaceId: fixture.workspace.id,
            endpointId: endpoint.id,
          })
        ).deliveries;
      }
      expect(entry).toMatchObject({ status: "retrying", lastError: expect.stringMatching(/not a public address/) });
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });
});

describe("bounds", () => {
  it(`a workspace has at most ${maxWebhookEndpointsPerWorkspace} endpoints; the list returns them all`, async () => {
    const full = await createWorkspaceFixture(h.services);
    const owner = as(full.OWNER.actor);
    const workspaceId = full.workspace.id;
    const ids: string[] = [];
    for (let i = 0; i < maxWebhookEndpointsPerWorkspace; i++)
      ids.push(
        (await owner.createWebhookEndpoint({ workspaceId, url: `https://8.8.8.8/${i}`, events: ["apikey.created"] }))
          .endpoint.id,
      );
    await expect(
      owner.createWebhookEndpoint({ workspaceId, url: publicUrl, events: ["apikey.created"] }),
    ).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/already has 50/) });
    const listed = await owner.listWebhookEndpoints({ workspaceId });
    // Newest first; two made within one millisecond (createdAt's precision) are ordered by id, not by creation.
    expect(listed.endpoints.map((e) => e.id).sort()).toEqual([...ids].sort());
    const order = listed.endpoints.map((e) => [e.createdAt, e.id] as const);
    // Byte order, as the database's: newest createdAt (ISO text sorts as time), then the greater id.
    const newerFirst = (a: string, b: string) => (a === b ? 0 : a > b ? -1 : 1);
    expect(order).toEqual([...order].sort(([at1, id1], [at2, id2]) => newerFirst(at1, at2) || newerFirst(id1, id2)));
    await owner.deleteWebhookEndpoint({ workspaceId, endpointId: ids[0]! });
    await expect(
      owner.createWebhookEndpoint({ workspaceId, url: publicUrl, events: ["apikey.created"] }),
    ).resolves.toMatchObject({ endpoint: { url: publicUrl } });
  });

  it(`many creations at once leave exactly ${maxWebhookEndpointsPerWorkspace} live endpoints, and list them all`, async () => {
    const racing = await createWorkspaceFixture(h.services);
    const owner = as(racing.OWNER.actor);
    const workspaceId = racing.workspace.id;
    const created = await Promise.allSettled(
      Array.from({ length: 80 }, (_, i) =>
        owner.createWebhookEndpoint({ workspaceId, url: `https://8.8.8.8/race/${i}`, events: ["apikey.created"] }),
      ),
    );
    const refused = created.filter((c) => c.status === "rejected");
    expect(created.length - refused.length).toBe(maxWebhookEndpointsPerWorkspace);
    for (const r of refused) expect(r.reason).toMatchObject({ code: "FORBIDDEN" });
    const [live] = await h.services.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "WebhookEndpoint" WHERE "workspaceId" = $1 AND "deletedAt" IS NULL`,
      [workspaceId],
    );
    expect(live!.n).toBe(maxWebhookEndpointsPerWorkspace);
    expect((await owner.listWebhookEndpoints({ workspaceId })).endpoints).toHaveLength(maxWebhookEndpointsPerWorkspace);
  });

  it("the list shows every live endpoint, even past the cap (left by an earlier version)", async () => {
    const over = await createWorkspaceFixture(h.services);
    const owner = as(over.OWNER.actor);
    const workspaceId = over.workspace.id;
    for (let i = 0; i < 3; i++)
      await owner.createWebhookEndpoint({ workspaceId, url: `https://8.8.8.8/${i}`, events: ["apikey.created"] });
    const [one] = (await owner.listWebhookEndpoints({ workspaceId })).endpoints;
    // Copies of a live endpoint beyond the cap, as concurrent creations could leave them before it was exact.
    await h.services.db.sql.query(
      `INSERT INTO "WebhookEndpoint" (id, "workspaceId", url, events, "secretCiphertext", "masterKeyVersion")
       SELECT gen_random_uuid()::text, "workspaceId", url, events, "secretCiphertext", "masterKeyVersion"
       FROM "WebhookEndpoint", generate_series(1, $2) WHERE id = $1`,
      [one!.id, maxWebhookEndpointsPerWorkspace + 5],
    );
    const listed = await owner.listWebhookEndpoints({ workspaceId });
    expect(listed.endpoints).toHaveLength(maxWebhookEndpointsPerWorkspace + 8);
  });

  it("a delivery page is 1…100 long", async () => {
    const { endpoint } = await as(ws.OWNER.actor).createWebhookEndpoint({
      workspaceId: ws.workspace.id,
      url: publicUrl,
      events: ["apikey.created"],
    });
    const path = `/workspace/${ws.workspace.id}/webhook/${endpoint.id}/delivery`;
    for (const limit of ["0", "101", "1000000", "-1", "2.5", "x"]) {
      const res = await api(h.baseUrl, "GET", `${path}?limit=${limit}`, { token: ws.OWNER.token });
      expect(res.status, limit).toBe(400);
    }
    const bad = await api(h.baseUrl, "GET", `${path}?cursor=bm90LWEtY3Vyc29y`, { token: ws.OWNER.token });
    expect(bad.status).toBe(400);
    expect((await api(h.baseUrl, "GET", `${path}?limit=100`, { token: ws.OWNER.token })).status).toBe(200);
  });
});
