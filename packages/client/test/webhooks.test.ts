// The client's webhook methods against the real server, with a receiver on 127.0.0.1 (WEBHOOK_ALLOW_PRIVATE on).
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "@repokeys/api/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AiType, ApiClient, HttpError } from "../src";

let h: Harness;
let ws: WorkspaceFixture;
const received: string[] = [];
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => {
    body += chunk;
  });
  req.on("end", () => {
    received.push(body);
    res.writeHead(200).end();
  });
});

beforeAll(async () => {
  h = await startHarness({ webhooks: { allowPrivate: true, pollMs: 25 } });
  ws = await createWorkspaceFixture(h.services);
  receiver.listen(0, "127.0.0.1");
  await once(receiver, "listening");
});
afterAll(async () => {
  receiver.close();
  await h.close();
});

function clientFor(token: string) {
  const client = new ApiClient(h.baseUrl);
  client.setAuthToken(token);
  return client;
}

it("registers, lists, changes, rotates, reads the log, resends and deletes an endpoint", async () => {
  const owner = clientFor(ws.OWNER.token);
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const created = await owner.createWebhookEndpoint(ws.workspace.id, { url, events: ["apikey.created"] });
  expect(created.secret).toMatch(/^whsec_/);
  expect((await owner.listWebhookEndpoints(ws.workspace.id)).endpoints).toEqual([created.endpoint]);
  const updated = await owner.updateWebhookEndpoint(ws.workspace.id, created.endpoint.id, {
    events: ["apikey.created", "apikey.deleted"],
  });
  expect(updated.endpoint.events).toEqual(["apikey.created", "apikey.deleted"]);
  const { secret } = await owner.rotateWebhookSecret(ws.workspace.id, created.endpoint.id);
  expect(secret).not.toBe(created.secret);
  const resumed = await owner.resumeWebhookEndpoint(ws.workspace.id, created.endpoint.id);
  expect(resumed.endpoint).toMatchObject({ id: created.endpoint.id, pausedAt: null });

  await clientFor(ws.MEMBER.token).createRepoAiApiKey(ws.repo.id, { name: "hooked", aiType: AiType.OTHER });
  for (let i = 0; i < 200 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(received).toHaveLength(1);
  let log = await owner.listWebhookDeliveries(ws.workspace.id, created.endpoint.id, { limit: 10 });
  expect(log.nextCursor).toBeNull();
  const [delivery] = log.deliveries;
  expect(delivery).toMatchObject({ event: "apikey.created", eventId: JSON.parse(received[0]!).id });
  const resent = await owner.resendWebhookDelivery(ws.workspace.id, delivery!.id);
  expect(resent.delivery).toMatchObject({ id: delivery!.id, status: "pending" });
  for (let i = 0; i < 200 && received.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(received[1]).toBe(received[0]);
  log = await owner.listWebhookDeliveries(ws.workspace.id, created.endpoint.id);
  expect(log.deliveries).toHaveLength(1);

  await expect(owner.deleteWebhookEndpoint(ws.workspace.id, created.endpoint.id)).resolves.toEqual({ success: true });
  const gone = await owner.deleteWebhookEndpoint(ws.workspace.id, created.endpoint.id).catch((err: unknown) => err);
  expect(gone).toBeInstanceOf(HttpError);
  expect((gone as HttpError).status).toBe(404);
});

it("a MEMBER gets 403 and a refused URL 400, as HttpErrors", async () => {
  const denied = await clientFor(ws.MEMBER.token)
    .listWebhookEndpoints(ws.workspace.id)
    .catch((err: unknown) => err);
  expect((denied as HttpError).status).toBe(403);
  const refused = await clientFor(ws.OWNER.token)
    .createWebhookEndpoint(ws.workspace.id, { url: "ftp://example.com", events: ["apikey.created"] })
    .catch((err: unknown) => err);
  expect((refused as HttpError).status).toBe(400);
});
