// A delivery that never succeeds is given up after the retry window (WEBHOOK_RETRY_WINDOW_MS, 24 h; shortened
// here): failed, and no longer sent.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCaller, typedCallContext } from "../src";
import { createWorkspaceFixture, type Harness, startHarness } from "../src/testing";
import { startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver";

const windowMs = 2_000;
let h: Harness;
let receiver: WebhookReceiver;

beforeAll(async () => {
  h = await startHarness({
    webhooks: {
      allowPrivate: true,
      pollMs: 25,
      timeoutMs: 400,
      leaseMs: 5_000,
      retryBaseMs: 100,
      retryMaxMs: 100,
      retryWindowMs: windowMs,
    },
  });
  receiver = await startWebhookReceiver(() => ({ status: 503 }));
});
afterAll(async () => {
  await h.close();
  await receiver.close();
});

it("after the retry window a delivery is failed and no longer sent", async () => {
  const ws = await createWorkspaceFixture(h.services);
  const owner = createCaller(typedCallContext(h.services, ws.OWNER.actor));
  const { endpoint } = await owner.createWebhookEndpoint({
    workspaceId: ws.workspace.id,
    url: receiver.url,
    events: ["apikey.created"],
  });
  await owner.createAiApiKey({ repoId: ws.repo.id, name: "doomed", aiType: "OTHER" });
  const log = async () =>
    (await owner.listWebhookDeliveries({ workspaceId: ws.workspace.id, endpointId: endpoint.id })).deliveries;
  let [entry] = await log();
  for (let i = 0; i < 400 && entry?.status !== "failed"; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    [entry] = await log();
  }
  expect(entry).toMatchObject({ status: "failed", lastStatusCode: 503, nextAttemptAt: null });
  expect(entry!.attempts).toBeGreaterThanOrEqual(2);
  // No attempt is scheduled past the window; the last one starts within a poll (and the machine's load) of it.
  expect(Date.parse(entry!.lastAttemptAt!) - Date.parse(entry!.createdAt)).toBeLessThan(windowMs + 1_000);
  expect(receiver.received).toHaveLength(entry!.attempts);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(receiver.received).toHaveLength(entry!.attempts);
  const [listed] = (await owner.listWebhookEndpoints({ workspaceId: ws.workspace.id })).endpoints;
  expect(listed!.lastDelivery).toMatchObject({ status: "failed" });
});
