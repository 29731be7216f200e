// A receiver that answers 200 and then never ends its body, and one that trickles its body slower than the
// timeout, hold neither their attempt nor anyone else's: the instance (a process of its own, with garbage
// collection forced every 5 ms, so that a deadline held only weakly would be lost) stops reading the first after
// 64 KiB and gives up on the second at its timeout, and another workspace's delivery arrives meanwhile.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCaller, typedCallContext } from "../src";
import { createWorkspaceFixture } from "../src/testing";
import { type AppInstances, startInstances } from "./support/app-instances";
import { startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver";

const app = fileURLToPath(new URL("./fixtures/webhook-app-gc.ts", import.meta.url));
const timeoutMs = 1_500;
let cluster: AppInstances;
let receiver: WebhookReceiver;
let child: ChildProcess | undefined;
const servers: Server[] = [];

/** A receiver that answers 200 and then writes `chunk` every `everyMs` until the connection closes. */
async function streamingReceiver(chunk: Buffer, everyMs: number) {
  const answers: { closedAt: number | null }[] = [];
  const server = createServer((req, res: ServerResponse) => {
    req.resume();
    const answer = { closedAt: null as number | null };
    answers.push(answer);
    res.writeHead(200, { "content-type": "application/octet-stream" });
    const timer = setInterval(() => res.write(chunk), everyMs);
    res.on("close", () => {
      clearInterval(timer);
      answer.closedAt = Date.now();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, answers };
}

beforeAll(async () => {
  cluster = await startInstances([{ deliverWebhooks: false, webhooks: { allowPrivate: true } }]);
  receiver = await startWebhookReceiver();
}, 60_000);
afterAll(async () => {
  child?.kill("SIGKILL");
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  await receiver?.close();
  await cluster?.close();
});

it("an endless answer and a trickling one hold no attempt past its timeout, with GC forced", async () => {
  const h = cluster.instances[0]!;
  const endless = await streamingReceiver(Buffer.alloc(64 * 1024, 120), 5);
  const trickle = await streamingReceiver(Buffer.from("x"), 50);
  const hostile = await createWorkspaceFixture(h.services);
  const victim = await createWorkspaceFixture(h.services);
  const owner = (ws: typeof hostile) => createCaller(typedCallContext(h.services, ws.OWNER.actor));
  const endpoints = [];
  for (const url of [endless.url, trickle.url])
    endpoints.push(
      (
        await owner(hostile).createWebhookEndpoint({
          workspaceId: hostile.workspace.id,
          url,
          events: ["apikey.created"],
        })
      ).endpoint,
    );
  await owner(victim).createWebhookEndpoint({
    workspaceId: victim.workspace.id,
    url: receiver.url,
    events: ["apikey.created"],
  });

  child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", app], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: {
      ...process.env,
      DATABASE_URL: h.database.databaseUrl,
      MASTER_KEYS: h.masterKeys,
      WEBHOOK_ALLOW_PRIVATE: "1",
      WEBHOOK_POLL_MS: "50",
      WEBHOOK_TIMEOUT_MS: String(timeoutMs),
      WEBHOOK_LEASE_MS: "60000",
      WEBHOOK_RETRY_BASE_MS: "60000",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  expect(chunk.toString()).toBe("ready\n");

  await owner(hostile).createAiApiKey({ repoId: hostile.repo.id, name: "endless", aiType: "OTHER" });
  for (let i = 0; i < 200 && (endless.answers.length === 0 || trickle.answers.length === 0); i++)
    await new Promise((resolve) => setTimeout(resolve, 25));
  expect([endless.answers.length, trickle.answers.length]).toEqual([1, 1]);

  const queuedAt = Date.now();
  await owner(victim).createAiApiKey({ repoId: victim.repo.id, name: "unaffected", aiType: "OTHER" });
  await receiver.waitFor(1, 5_000);
  expect(Date.now() - queuedAt).toBeLessThan(timeoutMs);

  // The endless answer was cut after 64 KiB (long before the timeout); the trickling one at the timeout.
  for (let i = 0; i < 200 && trickle.answers[0]!.closedAt === null; i++)
    await new Promise((resolve) => setTimeout(resolve, 25));
  expect(endless.answers[0]!.closedAt).not.toBeNull();
  expect(trickle.answers[0]!.closedAt).not.toBeNull();
  const log = async (endpointId: string) => {
    for (let i = 0; i < 100; i++) {
      const { deliveries } = await owner(hostile).listWebhookDeliveries({
        workspaceId: hostile.workspace.id,
        endpointId,
      });
      if (deliveries[0]?.lastAttemptAt) return deliveries[0];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("the attempt was never recorded");
  };
  expect(await log(endpoints[0]!.id)).toMatchObject({ status: "delivered", lastStatusCode: 200, lastError: null });
  const trickled = await log(endpoints[1]!.id);
  expect(trickled).toMatchObject({
    status: "retrying",
    lastStatusCode: 200,
    lastError: "Timed out before the answer ended.",
  });
  expect(trickled.lastLatencyMs).toBeGreaterThanOrEqual(timeoutMs - 50);
  expect(trickled.lastLatencyMs).toBeLessThan(timeoutMs + 1_000);
}, 60_000);
