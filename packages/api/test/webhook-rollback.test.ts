// A key change and its deliveries are one statement, so they share its transaction: run a real handler inside a
// transaction (its database calls go to that transaction) and the worker sees the delivery only once it commits,
// and never if it rolls back.
import type { SqlTransaction } from "@repokeys/db";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ApiServices, createCaller, typedCallContext } from "../src";
import { createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";
import { startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver";

let h: Harness;
let ws: WorkspaceFixture;
let receiver: WebhookReceiver;

beforeAll(async () => {
  h = await startHarness({ webhooks: { allowPrivate: true, pollMs: 20 } });
  ws = await createWorkspaceFixture(h.services);
  receiver = await startWebhookReceiver();
  await createCaller(typedCallContext(h.services, ws.OWNER.actor)).createWebhookEndpoint({
    workspaceId: ws.workspace.id,
    url: receiver.url,
    events: ["apikey.created"],
  });
});
afterAll(async () => {
  await h.close();
  await receiver.close();
});

/** The member's typed caller whose every statement runs in `tx`. */
const inTransaction = (tx: SqlTransaction) => {
  const services: ApiServices = { ...h.services, db: { ...h.services.db, sql: tx } };
  return createCaller(typedCallContext(services, ws.MEMBER.actor));
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const queued = async () =>
  (await h.services.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "WebhookDelivery"`))[0]!.n;

it("a change rolled back after its statement ran queues nothing and sends nothing", async () => {
  await expect(
    h.services.db.transaction(async (tx) => {
      await inTransaction(tx).createAiApiKey({ repoId: ws.repo.id, name: "rolled back", aiType: "OTHER" });
      await pause(200);
      throw new Error("roll back");
    }),
  ).rejects.toThrow("roll back");
  await pause(300);
  expect(receiver.received).toHaveLength(0);
  expect(await queued()).toBe(0);
});

it("a committed change is sent, and only after its commit", async () => {
  const created = await h.services.db.transaction(async (tx) => {
    const key = await inTransaction(tx).createAiApiKey({ repoId: ws.repo.id, name: "committed", aiType: "OTHER" });
    // Ten polls of the worker while the change is not committed: it cannot see the delivery yet.
    await pause(200);
    expect(receiver.received).toHaveLength(0);
    return key;
  });
  const [sent] = await receiver.waitFor(1);
  expect(sent!.json).toMatchObject({ type: "apikey.created", data: { apikeyId: created.id } });
  expect(receiver.received).toHaveLength(1);
});
