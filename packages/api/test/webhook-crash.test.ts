// An app instance killed (SIGKILL) while the receiver holds its request loses nothing: the attempt's lease runs
// out and the next instance sends the same event again. The instances are processes of their own on PostgreSQL.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCaller, typedCallContext } from "../src";
import { createWorkspaceFixture } from "../src/testing";
import { type AppInstances, startInstances } from "./support/app-instances";
import { startWebhookReceiver, verifySignature, type WebhookReceiver } from "./support/webhook-receiver";

const app = fileURLToPath(new URL("./fixtures/webhook-app.ts", import.meta.url));
const leaseMs = 1_500;
let cluster: AppInstances;
let receiver: WebhookReceiver;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // The in-process instance only serves the test's calls: the child processes send.
  cluster = await startInstances([{ deliverWebhooks: false, webhooks: { allowPrivate: true } }]);
  receiver = await startWebhookReceiver((n) => (n === 1 ? "hang" : { status: 200 }));
}, 60_000);
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await receiver?.close();
  await cluster?.close();
});

async function startApp(): Promise<ChildProcess> {
  const h = cluster.instances[0]!;
  const child = spawn(process.execPath, ["--import", "tsx", app], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: {
      ...process.env,
      DATABASE_URL: h.database.databaseUrl,
      MASTER_KEYS: h.masterKeys,
      WEBHOOK_ALLOW_PRIVATE: "1",
      WEBHOOK_POLL_MS: "50",
      WEBHOOK_TIMEOUT_MS: "1000",
      WEBHOOK_LEASE_MS: String(leaseMs),
      WEBHOOK_RETRY_BASE_MS: "100",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  expect(chunk.toString()).toBe("ready\n");
  return child;
}

it("kill -9 mid-delivery: the next instance delivers the same event once the lease ends", async () => {
  const h = cluster.instances[0]!;
  const ws = await createWorkspaceFixture(h.services);
  const owner = createCaller(typedCallContext(h.services, ws.OWNER.actor));
  const { endpoint, secret } = await owner.createWebhookEndpoint({
    workspaceId: ws.workspace.id,
    url: receiver.url,
    events: ["apikey.created"],
  });
  const first = await startApp();
  const created = await owner.createAiApiKey({ repoId: ws.repo.id, name: "survivor", aiType: "OTHER" });
  const [held] = await receiver.waitFor(1);
  first.kill("SIGKILL");
  await once(first, "exit");
  const log = async () =>
    (await owner.listWebhookDeliveries({ workspaceId: ws.workspace.id, endpointId: endpoint.id })).deliveries;
  expect(await log()).toMatchObject([{ status: "pending", attempts: 1 }]);

  const killedAt = Date.now();
  await startApp();
  const [, again] = await receiver.waitFor(2, 15_000);
  expect(Date.now() - killedAt).toBeLessThan(leaseMs + 10_000);
  expect(again!.json.id).toBe(held!.json.id);
  expect(again!.body).toBe(held!.body);
  expect(again!.json.data.apikeyId).toBe(created.id);
  verifySignature(again!.headers["repokeys-signature"], again!.body, secret);
  for (let i = 0; i < 100; i++) {
    const [entry] = await log();
    if (entry!.status === "delivered") break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(await log()).toMatchObject([{ status: "delivered", attempts: 2, lastStatusCode: 200 }]);
}, 60_000);
