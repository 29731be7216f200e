// The delivery table stays bounded: a workspace's queue past WEBHOOK_MAX_QUEUED_PER_WORKSPACE loses its newest
// deliveries (failed, saying why, and counted on their endpoint), and delivered or failed deliveries older than
// WEBHOOK_LOG_RETENTION_DAYS leave the log, while anything still queued or recently resent stays.
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Actor, createCaller, typedCallContext } from "../src";
import { createWorkspaceFixture, type Harness, startHarness } from "../src/testing";
import { startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver";

let h: Harness;
let receiver: WebhookReceiver;

beforeAll(async () => {
  h = await startHarness({
    webhooks: {
      allowPrivate: true,
      pollMs: 25,
      expiringSweepMs: 50,
      retryBaseMs: 60_000,
      retryMaxMs: 60_000,
      maxQueuedPerWorkspace: 3,
      logRetentionDays: 2,
    },
  });
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await h.close();
  await receiver.close();
});

const as = (actor: Actor) => createCaller(typedCallContext(h.services, actor));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("a full queue takes no more: a change past the cap queues nothing and is counted on the endpoint; other workspaces keep theirs", async () => {
  const full = await createWorkspaceFixture(h.services);
  const other = await createWorkspaceFixture(h.services);
  const owner = as(full.OWNER.actor);
  // A closed port: every attempt fails and its retry is a minute away, so the deliveries stay queued.
  const { endpoint } = await owner.createWebhookEndpoint({
    workspaceId: full.workspace.id,
    url: "http://127.0.0.1:9/closed",
    events: ["apikey.created"],
  });
  const { endpoint: otherEndpoint } = await as(other.OWNER.actor).createWebhookEndpoint({
    workspaceId: other.workspace.id,
    url: "http://127.0.0.1:9/closed",
    events: ["apikey.created"],
  });
  for (let i = 0; i < 6; i++) {
    await as(full.MEMBER.actor).createAiApiKey({ repoId: full.repo.id, name: `k${i}`, aiType: "OTHER" });
    await as(other.MEMBER.actor).createAiApiKey({ repoId: other.repo.id, name: `k${i}`, aiType: "OTHER" });
  }
  const { deliveries } = await owner.listWebhookDeliveries({ workspaceId: full.workspace.id, endpointId: endpoint.id });
  expect(deliveries.filter((d) => d.status !== "failed")).toHaveLength(3);
  expect(deliveries).toHaveLength(3);
  const [listed] = (await owner.listWebhookEndpoints({ workspaceId: full.workspace.id })).endpoints;
  expect(listed!.droppedDeliveries).toBe(3);
  const others = await as(other.OWNER.actor).listWebhookDeliveries({
    workspaceId: other.workspace.id,
    endpointId: otherEndpoint.id,
  });
  expect(others.deliveries.filter((d) => d.status !== "failed")).toHaveLength(3);

  // Deliveries queued by no key change (the expiring sweep's) are trimmed at the next sweep: the newest past
  // the cap fail, saying why, and are counted too.
  await h.services.db.sql.query(
    `INSERT INTO "WebhookDelivery" ("endpointId", "eventId", event, payload)
     SELECT $1, 'evt_sweep_' || n, 'apikey.expiring', '{}'::jsonb FROM generate_series(1, 2) n`,
    [endpoint.id],
  );
  await expect
    .poll(
      async () =>
        (await owner.listWebhookEndpoints({ workspaceId: full.workspace.id })).endpoints[0]!.droppedDeliveries,
      {
        timeout: 10_000,
      },
    )
    .toBe(5);
  const after = await owner.listWebhookDeliveries({ workspaceId: full.workspace.id, endpointId: endpoint.id });
  expect(after.deliveries.filter((d) => d.status !== "failed")).toHaveLength(3);
  expect(after.deliveries.filter((d) => d.status === "failed").map((d) => d.lastError)).toEqual([
    "Not sent: the workspace had 3 deliveries waiting already.",
    "Not sent: the workspace had 3 deliveries waiting already.",
  ]);
});

it("finished deliveries past the retention leave the log; queued and recently resent ones stay", async () => {
  const ws = await createWorkspaceFixture(h.services);
  const owner = as(ws.OWNER.actor);
  const { endpoint } = await owner.createWebhookEndpoint({
    workspaceId: ws.workspace.id,
    url: receiver.url,
    events: ["apikey.created"],
  });
  // One at a time, each delivered before the next: the queue's cap (3) drops none.
  for (const [i, name] of ["old", "resent", "queued", "new"].entries()) {
    await as(ws.MEMBER.actor).createAiApiKey({ repoId: ws.repo.id, name, aiType: "OTHER" });
    await receiver.waitFor(i + 1);
  }
  await pause(200);
  const backdate = (name: string, set: string) =>
    h.services.db.sql.query(
      `UPDATE "WebhookDelivery" SET "createdAt" = now() - interval '3 days', ${set}
       WHERE "endpointId" = $1 AND payload->'after'->>'name' = $2`,
      [endpoint.id, name],
    );
  await backdate("old", `"lastAttemptAt" = now() - interval '3 days'`);
  await backdate("resent", `"lastAttemptAt" = now() - interval '1 day'`);
  await backdate(
    "queued",
    `"lastAttemptAt" = now() - interval '3 days', status = 'retrying', "nextAttemptAt" = now() + interval '1 hour'`,
  );
  await pause(300);
  const [{ names }] = (await h.services.db.sql.query<{ names: string[] }>(
    `SELECT array_agg(payload->'after'->>'name' ORDER BY payload->'after'->>'name') AS names
     FROM "WebhookDelivery" WHERE "endpointId" = $1`,
    [endpoint.id],
  )) as [{ names: string[] }];
  expect(names).toEqual(["new", "queued", "resent"]);
});

it("a paused endpoint is sent nothing new and its waiting deliveries neither fill the queue nor wait past the retry window", async () => {
  const ws = await createWorkspaceFixture(h.services);
  const owner = as(ws.OWNER.actor);
  const create = (name: string) => as(ws.MEMBER.actor).createAiApiKey({ repoId: ws.repo.id, name, aiType: "OTHER" });
  const { endpoint: stalled } = await owner.createWebhookEndpoint({
    workspaceId: ws.workspace.id,
    url: "http://127.0.0.1:9/closed",
    events: ["apikey.created"],
  });
  for (let i = 0; i < 3; i++) await create(`before pause ${i}`);
  // Paused as the worker pauses an endpoint that keeps failing (webhook-fairness.test.ts takes the long way).
  await h.services.db.sql.query(`UPDATE "WebhookEndpoint" SET "pausedAt" = now() WHERE id = $1`, [stalled.id]);
  const { endpoint: healthy } = await owner.createWebhookEndpoint({
    workspaceId: ws.workspace.id,
    url: receiver.url,
    events: ["apikey.created"],
  });
  const before = receiver.received.length;
  await create("while paused");
  // The paused endpoint's three waiting deliveries leave room under the cap of 3: the healthy one is sent to.
  await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(before + 1);
  const endpoints = (await owner.listWebhookEndpoints({ workspaceId: ws.workspace.id })).endpoints;
  expect(endpoints.find((e) => e.id === stalled.id)!.droppedDeliveries).toBe(1);
  expect(endpoints.find((e) => e.id === healthy.id)!.droppedDeliveries).toBe(0);
  const waiting = await owner.listWebhookDeliveries({ workspaceId: ws.workspace.id, endpointId: stalled.id });
  expect(waiting.deliveries.filter((d) => d.status !== "failed")).toHaveLength(3);

  // Past the retry window, the sweep fails what the paused endpoint still holds, saying why.
  await h.services.db.sql.query(
    `UPDATE "WebhookDelivery" SET "retryFrom" = now() - interval '2 days' WHERE "endpointId" = $1`,
    [stalled.id],
  );
  await expect
    .poll(
      async () =>
        (await owner.listWebhookDeliveries({ workspaceId: ws.workspace.id, endpointId: stalled.id })).deliveries.filter(
          (d) =>
            d.status === "failed" && d.lastError === "Not sent: its endpoint was paused for the whole retry window.",
        ).length,
      { timeout: 10_000 },
    )
    .toBe(3);
});
