// An attempt still out when its endpoint is deleted, or when its delivery is resent, records nothing over that
// change: each claim carries a token, and only the claim holding it, for a delivery still pending or retrying,
// records an outcome. Retries are a minute away here, so only a wrong outcome or the resend itself sends again.
import { once } from "node:events";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Actor, createCaller, typedCallContext } from "../src";
import { createWorkspaceFixture, type Harness, startHarness } from "../src/testing";

let h: Harness;
const held: ServerResponse[] = [];
let requests = 0;
const receiver = createServer((req, res) => {
  req.resume();
  requests++;
  held.push(res);
});

beforeAll(async () => {
  h = await startHarness({
    webhooks: {
      allowPrivate: true,
      pollMs: 25,
      timeoutMs: 5_000,
      leaseMs: 10_000,
      retryBaseMs: 60_000,
      retryMaxMs: 60_000,
    },
  });
  receiver.listen(0, "127.0.0.1");
  await once(receiver, "listening");
});
afterAll(async () => {
  receiver.closeAllConnections();
  receiver.close();
  await h.close();
});

const as = (actor: Actor) => createCaller(typedCallContext(h.services, actor));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(20);
  }
}

/** A workspace with an endpoint at the holding receiver, and one delivery whose first attempt is held. */
async function heldAttempt() {
  const ws = await createWorkspaceFixture(h.services);
  const owner = as(ws.OWNER.actor);
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const { endpoint } = await owner.createWebhookEndpoint({
    workspaceId: ws.workspace.id,
    url,
    events: ["apikey.created"],
  });
  const before = requests;
  await owner.createAiApiKey({ repoId: ws.repo.id, name: "held", aiType: "OTHER" });
  await until(() => requests > before, "the first attempt");
  const [delivery] = await h.services.db.sql.query<{ id: string }>(
    `SELECT id FROM "WebhookDelivery" WHERE "endpointId" = $1`,
    [endpoint.id],
  );
  return { ws, owner, endpoint, deliveryId: delivery!.id, answer: held.at(-1)! };
}

const row = async (id: string) =>
  (
    await h.services.db.sql.query<{
      status: string;
      nextAttemptAt: Date | null;
      lastStatusCode: number | null;
      lastError: string | null;
    }>(`SELECT status, "nextAttemptAt", "lastStatusCode", "lastError" FROM "WebhookDelivery" WHERE id = $1`, [id])
  )[0]!;

it("an endpoint deleted during an attempt: the attempt's answer does not bring its delivery back", async () => {
  const { ws, owner, endpoint, deliveryId, answer } = await heldAttempt();
  await owner.deleteWebhookEndpoint({ workspaceId: ws.workspace.id, endpointId: endpoint.id });
  const sent = requests;
  answer.writeHead(500).end();
  await pause(500);
  expect(await row(deliveryId)).toEqual({
    status: "failed",
    nextAttemptAt: null,
    lastStatusCode: null,
    lastError: "The endpoint was deleted.",
  });
  // Due again (as a lapsed lease would leave it), it is still not sent: the claim takes live endpoints only.
  await h.services.db.sql.query(`UPDATE "WebhookDelivery" SET "nextAttemptAt" = now() WHERE id = $1`, [deliveryId]);
  await pause(300);
  expect(requests).toBe(sent);
});

it("an endpoint deleted during its pausing attempt is not paused, and no pause is recorded after the deletion", async () => {
  const { ws, owner, endpoint, answer } = await heldAttempt();
  // One failure short of the pause (WEBHOOK_PAUSE_AFTER_FAILURES, 30 by default).
  await h.services.db.sql.query(`UPDATE "WebhookEndpoint" SET "failureStreak" = 29 WHERE id = $1`, [endpoint.id]);
  await owner.deleteWebhookEndpoint({ workspaceId: ws.workspace.id, endpointId: endpoint.id });
  answer.writeHead(500).end();
  const released = async () =>
    (
      await h.services.db.sql.query<{ claimToken: string | null; pausedAt: Date | null }>(
        `SELECT "claimToken", "pausedAt" FROM "WebhookEndpoint" WHERE id = $1`,
        [endpoint.id],
      )
    )[0]!;
  await until(async () => (await released()).claimToken === null, "the attempt's outcome");
  expect((await released()).pausedAt).toBeNull();
  const events = await h.services.db.sql.query<{ event: string }>(
    `SELECT event FROM "SystemEvent" WHERE context = 'webhookendpoint' AND "contextId" = $1 ORDER BY id`,
    [endpoint.id],
  );
  expect(events.map((e) => e.event)).toEqual(["created", "deleted"]);
});

it("a delivery resent during an attempt: the attempt's answer does not overwrite the resend, which is sent", async () => {
  const { ws, owner, deliveryId, answer } = await heldAttempt();
  await owner.resendWebhookDelivery({ workspaceId: ws.workspace.id, deliveryId });
  const sent = requests;
  // The attempt that began before the resend succeeds; the resend still goes out, and is what the log shows.
  answer.writeHead(200).end();
  await until(() => requests > sent, "the resend's attempt");
  expect(await row(deliveryId)).toMatchObject({ status: "pending", lastStatusCode: null });
  held.at(-1)!.writeHead(204).end();
  await until(async () => (await row(deliveryId)).status === "delivered", "the resend's outcome");
  expect(await row(deliveryId)).toMatchObject({ status: "delivered", lastStatusCode: 204, nextAttemptAt: null });
});
