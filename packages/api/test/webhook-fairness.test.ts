// One workspace's endpoints that never answer take at most half of an instance's attempt slots, one attempt at a
// time each, so another workspace's delivery goes out at once; an endpoint that keeps failing backs off, then is
// paused (with a system event) until an OWNER or ADMIN resumes it.
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Actor, createCaller, typedCallContext } from "../src";
import { createWorkspaceFixture, type Harness, startHarness } from "../src/testing";
import { startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver";

const timeoutMs = 4_000;
let h: Harness;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  h = await startHarness({
    webhooks: {
      allowPrivate: true,
      pollMs: 25,
      timeoutMs,
      leaseMs: 10_000,
      retryBaseMs: 50,
      retryMaxMs: 100,
      concurrency: 4,
      pauseAfterFailures: 3,
    },
  });
});
afterAll(async () => {
  await h.close();
  for (const receiver of receivers) await receiver.close();
});

const as = (actor: Actor) => createCaller(typedCallContext(h.services, actor));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function receiverThat(...args: Parameters<typeof startWebhookReceiver>) {
  const receiver = await startWebhookReceiver(...args);
  receivers.push(receiver);
  return receiver;
}

it("a workspace's hanging endpoints leave slots for another workspace, one attempt per endpoint", async () => {
  const hanging = await receiverThat(() => "hang");
  const healthy = await receiverThat();
  const hostile = await createWorkspaceFixture(h.services);
  const victim = await createWorkspaceFixture(h.services);
  for (let i = 0; i < 8; i++)
    await as(hostile.OWNER.actor).createWebhookEndpoint({
      workspaceId: hostile.workspace.id,
      url: `${hanging.url}?endpoint=${i}`,
      events: ["apikey.created"],
    });
  await as(victim.OWNER.actor).createWebhookEndpoint({
    workspaceId: victim.workspace.id,
    url: healthy.url,
    events: ["apikey.created"],
  });
  // Two events for each of the 8 endpoints: 16 deliveries, every one of them hangs.
  for (const name of ["a", "b"])
    await as(hostile.MEMBER.actor).createAiApiKey({ repoId: hostile.repo.id, name, aiType: "OTHER" });
  await hanging.waitFor(2);
  await pause(300);
  // Half of the 4 slots, and never two attempts to one endpoint.
  expect(hanging.received).toHaveLength(2);
  const out = await h.services.db.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "WebhookDelivery" d JOIN "WebhookEndpoint" e ON e.id = d."endpointId"
     WHERE e."workspaceId" = $1 AND d."claimToken" IS NOT NULL GROUP BY d."endpointId"`,
    [hostile.workspace.id],
  );
  expect(out).toEqual([{ n: 1 }, { n: 1 }]);

  const queuedAt = Date.now();
  await as(victim.MEMBER.actor).createAiApiKey({ repoId: victim.repo.id, name: "on time", aiType: "OTHER" });
  await healthy.waitFor(1, 3_000);
  expect(Date.now() - queuedAt).toBeLessThan(1_000);
}, 30_000);

it("an endpoint failing again and again backs off, is paused with an event, and sends again once resumed", async () => {
  const failing = await receiverThat(() => ({ status: 503 }));
  const ws = await createWorkspaceFixture(h.services);
  const admin = as(ws.ADMIN.actor);
  const { endpoint } = await admin.createWebhookEndpoint({
    workspaceId: ws.workspace.id,
    url: failing.url,
    events: ["apikey.created"],
  });
  for (const name of ["one", "two", "three", "four"])
    await as(ws.MEMBER.actor).createAiApiKey({ repoId: ws.repo.id, name, aiType: "OTHER" });
  await failing.waitFor(3);
  await pause(800);
  // Paused at the third failure in a row: nothing more is sent, whatever is due.
  expect(failing.received).toHaveLength(3);
  const [paused] = (await admin.listWebhookEndpoints({ workspaceId: ws.workspace.id })).endpoints;
  expect(paused).toMatchObject({ id: endpoint.id, failuresInARow: 3 });
  expect(paused!.pausedAt).not.toBeNull();
  const events = await h.services.db.sql.query<{
    event: string;
    userId: string | null;
    via: string;
    jsonData: unknown;
  }>(
    `SELECT event, "userId", via, "jsonData" FROM "SystemEvent"
     WHERE context = 'webhookendpoint' AND "contextId" = $1 AND event = 'updated' ORDER BY id`,
    [endpoint.id],
  );
  expect(events).toEqual([
    {
      event: "updated",
      userId: null,
      via: "worker",
      jsonData: { before: { paused: false }, after: { paused: true, failuresInARow: 3 }, via: "worker" },
    },
  ]);

  await expect(
    as(ws.MEMBER.actor).resumeWebhookEndpoint({ workspaceId: ws.workspace.id, endpointId: endpoint.id }),
  ).rejects.toMatchObject({ code: "FORBIDDEN" });
  failing.behave(() => ({ status: 200 }));
  // Two resumes at once (two tabs), both reaching the row while a third holds it: both answer, and one event
  // records the change.
  const { both } = await h.services.db.transaction(async (tx) => {
    await tx.query(`SELECT 1 FROM "WebhookEndpoint" WHERE id = $1 FOR UPDATE`, [endpoint.id]);
    const both = Promise.all([
      admin.resumeWebhookEndpoint({ workspaceId: ws.workspace.id, endpointId: endpoint.id }),
      admin.resumeWebhookEndpoint({ workspaceId: ws.workspace.id, endpointId: endpoint.id }),
    ]);
    await pause(300);
    return { both };
  });
  const [resumed] = await both;
  expect(resumed.endpoint).toMatchObject({ pausedAt: null, failuresInARow: 0 });
  // The four events, each once more at least, now delivered.
  await failing.waitFor(7);
  for (let i = 0; i < 100; i++) {
    const { deliveries } = await admin.listWebhookDeliveries({ workspaceId: ws.workspace.id, endpointId: endpoint.id });
    if (deliveries.every((d) => d.status === "delivered")) break;
    await pause(50);
  }
  const { deliveries } = await admin.listWebhookDeliveries({ workspaceId: ws.workspace.id, endpointId: endpoint.id });
  expect(deliveries.map((d) => d.status)).toEqual(["delivered", "delivered", "delivered", "delivered"]);
  const resumeEvents = await h.services.db.sql.query<{ userId: string | null; via: string; jsonData: unknown }>(
    `SELECT "userId", via, "jsonData" FROM "SystemEvent"
     WHERE context = 'webhookendpoint' AND "contextId" = $1 AND via = 'typed' AND event = 'updated'`,
    [endpoint.id],
  );
  expect(resumeEvents).toEqual([
    {
      userId: ws.ADMIN.actor.userId,
      via: "typed",
      jsonData: { before: { paused: true }, after: { paused: false }, via: "typed" },
    },
  ]);
}, 30_000);
