// Several app instances send from one queue: each delivery is claimed by one of them (FOR UPDATE SKIP LOCKED),
// so with healthy receivers every event arrives exactly once, whichever instance made the change.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCaller, typedCallContext } from "../src";
import { createWorkspaceFixture } from "../src/testing";
import { type AppInstances, startInstances } from "./support/app-instances";
import { startWebhookReceiver, verifySignature, type WebhookReceiver } from "./support/webhook-receiver";

const webhooks = { allowPrivate: true, pollMs: 10, leaseMs: 30_000 };
let cluster: AppInstances;
let receiver: WebhookReceiver;

beforeAll(async () => {
  cluster = await startInstances([{ webhooks }, { webhooks }, { webhooks }]);
  receiver = await startWebhookReceiver(() => ({ status: 200, delayMs: 5 }));
}, 60_000);
afterAll(async () => {
  await cluster?.close();
  await receiver?.close();
});

it("three instances deliver 60 events once each", async () => {
  const [first] = cluster.instances;
  const ws = await createWorkspaceFixture(first!.services);
  const { secret } = await createCaller(typedCallContext(first!.services, ws.OWNER.actor)).createWebhookEndpoint({
    workspaceId: ws.workspace.id,
    url: receiver.url,
    events: ["apikey.created"],
  });
  await Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      createCaller(typedCallContext(cluster.instances[i % 3]!.services, ws.MEMBER.actor)).createAiApiKey({
        repoId: ws.repo.id,
        name: `k${i}`,
        aiType: "OTHER",
      }),
    ),
  );
  const received = await receiver.waitFor(60, 20_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(receiver.received).toHaveLength(60);
  expect(new Set(received.map((r) => r.json.id)).size).toBe(60);
  for (const r of received) verifySignature(r.headers["repokeys-signature"], r.body, secret);
  const [counts] = await first!.services.db.sql.query<{ delivered: number; attempts: number }>(
    `SELECT count(*) FILTER (WHERE status = 'delivered')::int AS delivered, sum(attempts)::int AS attempts
     FROM "WebhookDelivery"`,
  );
  expect(counts).toEqual({ delivered: 60, attempts: 60 });
}, 60_000);
