// Deliveries to a real receiver on 127.0.0.1 (so WEBHOOK_ALLOW_PRIVATE's setting is on), with timings shortened:
// every key event arrives signed, a change that did not happen sends nothing, failures and timeouts are retried
// with the same event id, a slow answer is recorded, resend sends again, and expiring keys are announced once.
// One file past 300 lines: its cases share one harness and one receiver, whose start costs more than a case.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Actor, createCaller, typedCallContext, type WebhookEvent } from "../src";
import { createWorkspaceFixture, type Harness, startHarness } from "../src/testing";
import {
  type ReceiverBehaviour,
  startWebhookReceiver,
  verifySignature,
  type WebhookReceiver,
} from "./support/webhook-receiver";

const timeoutMs = 400;
let h: Harness;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  h = await startHarness({
    webhooks: {
      allowPrivate: true,
      pollMs: 25,
      timeoutMs,
      leaseMs: 5_000,
      retryBaseMs: 100,
      retryMaxMs: 200,
      expiringSweepMs: 50,
    },
  });
});
afterAll(async () => {
  await h.close();
  for (const receiver of receivers) await receiver.close();
});

const as = (actor: Actor) => createCaller(typedCallContext(h.services, actor));
const allEvents: WebhookEvent[] = [
  "apikey.created",
  "apikey.updated",
  "apikey.rotated",
  "apikey.deleted",
  "apikey.expiring",
];

/** A workspace of its own with one endpoint (all events unless told) pointing at a receiver of its own. */
async function endpointWith(behaviour?: ReceiverBehaviour, events = allEvents) {
  const ws = await createWorkspaceFixture(h.services);
  const receiver = await startWebhookReceiver(behaviour);
  receivers.push(receiver);
  const { endpoint, secret } = await as(ws.ADMIN.actor).createWebhookEndpoint({
    workspaceId: ws.workspace.id,
    url: receiver.url,
    events,
  });
  const log = async () =>
    (await as(ws.OWNER.actor).listWebhookDeliveries({ workspaceId: ws.workspace.id, endpointId: endpoint.id }))
      .deliveries;
  return { ws, receiver, endpoint, secret, log, member: as(ws.MEMBER.actor) };
}

/** Waits until the delivery log's newest entry has settled (delivered or failed). */
async function settled<T extends { status: string }>(log: () => Promise<T[]>, timeout = 10_000): Promise<T[]> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const entries = await log();
    if (entries.length && entries.every((d) => d.status === "delivered" || d.status === "failed")) return entries;
    if (Date.now() > deadline) throw new Error(`deliveries did not settle: ${JSON.stringify(entries)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("key events", () => {
  it("created, updated, rotated and deleted each arrive once, signed over t and the body, without secrets", async () => {
    const { ws, receiver, secret, log, member } = await endpointWith();
    const created = await member.createAiApiKey({ repoId: ws.repo.id, name: "ci", aiType: "OPENAI" });
    await member.updateAiApiKey({ repoId: ws.repo.id, apikeyId: created.id, name: "ci renamed" });
    const rotated = await member.rotateAiApiKey({ repoId: ws.repo.id, apikeyId: created.id, graceSeconds: 60 });
    await member.deleteAiApiKey({ repoId: ws.repo.id, apikeyId: rotated.id });
    const received = await receiver.waitFor(4);
    await pause(200);
    expect(received).toHaveLength(4);
    const byType = Object.fromEntries(received.map((r) => [r.json.type, r]));
    expect(Object.keys(byType).sort()).toEqual([
      "apikey.created",
      "apikey.deleted",
      "apikey.rotated",
      "apikey.updated",
    ]);
    for (const r of received) {
      const t = verifySignature(r.headers["repokeys-signature"], r.body, secret);
      expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(30);
      expect(r.headers["repokeys-event-id"]).toBe(r.json.id);
      expect(r.json.id).toMatch(/^evt_[0-9a-f]{32}$/);
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.json.data).toMatchObject({
        workspaceId: ws.workspace.id,
        repoId: ws.repo.id,
        actorId: ws.MEMBER.actor.userId,
        via: "typed",
      });
      for (const shown of [created.secret, rotated.secret, secret]) expect(r.body).not.toContain(shown);
      expect(() => verifySignature(r.headers["repokeys-signature"], `${r.body} `, secret)).toThrow();
    }
    expect(byType["apikey.created"]!.json.data).toMatchObject({
      apikeyId: created.id,
      before: null,
      after: { name: "ci", key: created.key },
    });
    expect(byType["apikey.updated"]!.json.data).toMatchObject({
      before: { name: "ci" },
      after: { name: "ci renamed" },
    });
    expect(byType["apikey.rotated"]!.json.data).toMatchObject({
      apikeyId: created.id,
      after: { newApikeyId: rotated.id, newKey: rotated.key },
    });
    expect(byType["apikey.deleted"]!.json.data).toMatchObject({ apikeyId: rotated.id, after: null });
    const entries = await settled(log);
    expect(entries.map((d) => d.status)).toEqual(["delivered", "delivered", "delivered", "delivered"]);
    expect(entries.map((d) => d.event)).toEqual([
      "apikey.deleted",
      "apikey.rotated",
      "apikey.updated",
      "apikey.created",
    ]);
    expect(JSON.stringify(entries)).not.toContain(secret);
  });

  it("only the events an endpoint chose, and nothing for a change that did not happen (404, 412, no-op)", async () => {
    const { ws, receiver, log, member } = await endpointWith(undefined, ["apikey.updated"]);
    const created = await member.createAiApiKey({ repoId: ws.repo.id, name: "quiet", aiType: "OTHER" });
    await expect(
      member.updateAiApiKey({ repoId: ws.repo.id, apikeyId: "no-such-key", name: "x" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      member.updateAiApiKey({ repoId: ws.repo.id, apikeyId: created.id, name: "x", expectedVersion: "0" }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await member.updateAiApiKey({ repoId: ws.repo.id, apikeyId: created.id, name: "quiet" });
    await expect(
      as(ws.VIEWER.actor).deleteAiApiKey({ repoId: ws.repo.id, apikeyId: created.id }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await pause(400);
    expect(receiver.received).toHaveLength(0);
    expect(await log()).toEqual([]);
    await member.updateAiApiKey({ repoId: ws.repo.id, apikeyId: created.id, name: "loud" });
    const [only] = await receiver.waitFor(1);
    expect(only!.json).toMatchObject({ type: "apikey.updated", data: { after: { name: "loud" } } });
  });

  it("a deleted endpoint gets nothing more", async () => {
    const { ws, receiver, endpoint, member } = await endpointWith();
    await as(ws.OWNER.actor).deleteWebhookEndpoint({ workspaceId: ws.workspace.id, endpointId: endpoint.id });
    await member.createAiApiKey({ repoId: ws.repo.id, name: "unheard", aiType: "OTHER" });
    await pause(300);
    expect(receiver.received).toHaveLength(0);
  });
});

describe("retries", () => {
  it("a 500 is retried with the same event id and body until a 2xx", async () => {
    const { ws, receiver, secret, log, member } = await endpointWith((n) => ({ status: n <= 2 ? 500 : 204 }));
    await member.createAiApiKey({ repoId: ws.repo.id, name: "flaky", aiType: "OTHER" });
    const received = await receiver.waitFor(3);
    expect(new Set(received.map((r) => r.json.id)).size).toBe(1);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    expect(received.map((r) => r.headers["repokeys-delivery-attempt"])).toEqual(["1", "2", "3"]);
    for (const r of received) verifySignature(r.headers["repokeys-signature"], r.body, secret);
    const [entry] = await settled(log);
    expect(entry).toMatchObject({
      status: "delivered",
      attempts: 3,
      lastStatusCode: 204,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(entry!.eventId).toBe(received[0]!.json.id);
    await pause(300);
    expect(receiver.received).toHaveLength(3);
  });

  it("a receiver that hangs past the timeout is retried", async () => {
    const { ws, receiver, log, member } = await endpointWith((n) => (n === 1 ? "hang" : { status: 200 }));
    const started = Date.now();
    await member.createAiApiKey({ repoId: ws.repo.id, name: "hung", aiType: "OTHER" });
    const [first, second] = await receiver.waitFor(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(timeoutMs);
    expect(second!.json.id).toBe(first!.json.id);
    const [entry] = await settled(log);
    expect(entry).toMatchObject({ status: "delivered", attempts: 2, lastStatusCode: 200 });
  });

  it("a slow answer within the timeout is delivered, its latency recorded", async () => {
    const { ws, receiver, log, member } = await endpointWith(() => ({ status: 200, delayMs: 250 }));
    await member.createAiApiKey({ repoId: ws.repo.id, name: "slow", aiType: "OTHER" });
    await receiver.waitFor(1);
    const [entry] = await settled(log);
    expect(entry).toMatchObject({ status: "delivered", attempts: 1, lastStatusCode: 200 });
    expect(entry!.lastLatencyMs).toBeGreaterThanOrEqual(250);
    expect(entry!.lastLatencyMs).toBeLessThan(timeoutMs);
  });

  it("a closed port is an error in the log, retried", async () => {
    const { ws, endpoint, log, member } = await endpointWith();
    await as(ws.OWNER.actor).updateWebhookEndpoint({
      workspaceId: ws.workspace.id,
      endpointId: endpoint.id,
      url: "http://127.0.0.1:9/closed",
    });
    await member.createAiApiKey({ repoId: ws.repo.id, name: "nobody", aiType: "OTHER" });
    await pause(500);
    const [entry] = await log();
    expect(entry!.status).toBe("retrying");
    expect(entry!.attempts).toBeGreaterThanOrEqual(2);
    expect(entry!.lastStatusCode).toBeNull();
    // Node's own message would name the address connected to ("connect ECONNREFUSED 127.0.0.1:9").
    expect(entry!.lastError).toBe("Connection refused.");
    expect(entry!.lastError).not.toMatch(/\d+\.\d+\.\d+\.\d+|:\d+/);
    expect(entry!.nextAttemptAt).not.toBeNull();
  });
});

describe("secret rotation", () => {
  it("for a day after a rotation, deliveries are signed with the new secret and the replaced one", async () => {
    const { ws, endpoint, receiver, secret: old, member } = await endpointWith(undefined, ["apikey.created"]);
    const { secret } = await as(ws.ADMIN.actor).rotateWebhookSecret({
      workspaceId: ws.workspace.id,
      endpointId: endpoint.id,
    });
    await member.createAiApiKey({ repoId: ws.repo.id, name: "after rotation", aiType: "OTHER" });
    const [sent] = await receiver.waitFor(1);
    const header = String(sent!.headers["repokeys-signature"]);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    verifySignature(header, sent!.body, secret);
    verifySignature(header, sent!.body, old);
    // The new secret's signature comes first.
    expect(() => verifySignature(header.replace(/,v1=[0-9a-f]{64}$/, ""), sent!.body, secret)).not.toThrow();
  });
});

describe("resend and the log", () => {
  it("resend sends a delivered event again with the same id; the log pages newest first", async () => {
    const { ws, receiver, log, member } = await endpointWith();
    for (const name of ["a", "b", "c"]) await member.createAiApiKey({ repoId: ws.repo.id, name, aiType: "OTHER" });
    await receiver.waitFor(3);
    const entries = await settled(log);
    const owner = as(ws.OWNER.actor);
    const { endpoint } = {
      endpoint: (await owner.listWebhookEndpoints({ workspaceId: ws.workspace.id })).endpoints[0]!,
    };
    expect(endpoint.lastDelivery).toMatchObject({ status: "delivered" });
    const first = await owner.listWebhookDeliveries({
      workspaceId: ws.workspace.id,
      endpointId: endpoint.id,
      limit: 2,
    });
    expect(first.deliveries.map((d) => d.id)).toEqual(entries.slice(0, 2).map((d) => d.id));
    const second = await owner.listWebhookDeliveries({
      workspaceId: ws.workspace.id,
      endpointId: endpoint.id,
      limit: 2,
      cursor: first.nextCursor!,
    });
    expect(second.deliveries.map((d) => d.id)).toEqual([entries[2]!.id]);
    expect(second.nextCursor).toBeNull();
    const oldest = entries[2]!;
    const resent = await owner.resendWebhookDelivery({ workspaceId: ws.workspace.id, deliveryId: oldest.id });
    expect(resent.delivery).toMatchObject({ id: oldest.id, eventId: oldest.eventId, status: "pending" });
    const received = await receiver.waitFor(4);
    expect(received[3]!.json.id).toBe(oldest.eventId);
    expect(received[3]!.body).toBe(received.find((r) => r.json.id === oldest.eventId)!.body);
    const after = await settled(log);
    expect(after.find((d) => d.id === oldest.id)).toMatchObject({ status: "delivered", attempts: 2 });
    const other = await createWorkspaceFixture(h.services);
    await expect(
      as(other.OWNER.actor).resendWebhookDelivery({ workspaceId: other.workspace.id, deliveryId: oldest.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("expiring keys", () => {
  it("apikey.expiring is sent once per key that expires within 7 days, however many sweeps run", async () => {
    const { ws, receiver, member } = await endpointWith(undefined, ["apikey.expiring"]);
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const later = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const expiring = await member.createAiApiKey({
      repoId: ws.repo.id,
      name: "soon",
      aiType: "OTHER",
      expiresAt: soon,
    });
    await member.createAiApiKey({ repoId: ws.repo.id, name: "later", aiType: "OTHER", expiresAt: later });
    await member.createAiApiKey({ repoId: ws.repo.id, name: "never", aiType: "OTHER" });
    const [notice] = await receiver.waitFor(1);
    await pause(500);
    expect(receiver.received).toHaveLength(1);
    expect(notice!.json).toMatchObject({
      type: "apikey.expiring",
      data: {
        apikeyId: expiring.id,
        name: "soon",
        key: expiring.key,
        repoId: ws.repo.id,
        workspaceId: ws.workspace.id,
      },
    });
    expect(Date.parse(notice!.json.data.expiresAt)).toBe(Date.parse(soon));
    expect(notice!.body).not.toContain(expiring.secret);
  });
});
