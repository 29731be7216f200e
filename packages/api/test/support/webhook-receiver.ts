import { createHmac, timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** Parsed body. */
  // biome-ignore lint/suspicious/noExplicitAny: tests assert on the delivered JSON
  json: any;
}

/** What the receiver does with the n-th request (from 1): answer with a status, after a delay, or never. */
export type ReceiverBehaviour = (n: number) => { status: number; delayMs?: number } | "hang";

/** A webhook receiver on 127.0.0.1 (node:http): records every request in full and answers as told. */
export async function startWebhookReceiver(behaviour: ReceiverBehaviour = () => ({ status: 200 })) {
  const received: ReceivedWebhook[] = [];
  const hanging = new Set<ServerResponse>();
  const waiters: (() => void)[] = [];
  let behave = behaviour;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    received.push({ headers: req.headers, body, json: JSON.parse(body) });
    for (const wake of waiters.splice(0)) wake();
    const answer = behave(received.length);
    if (answer === "hang") {
      hanging.add(res);
      return;
    }
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    res.writeHead(answer.status, { "content-type": "text/plain" }).end("ok");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    behave(next: ReceiverBehaviour) {
      behave = next;
    },
    /** Resolves once at least `count` requests came in; fails after `timeoutMs`. */
    async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedWebhook[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} webhook requests, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, left).unref();
        });
      }
      return received;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close();
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/**
 * Checks `Repokeys-Signature` as a receiver would, with node:crypto alone (the recipe in docs/webhooks.md): one of its `v1`
 * values is the HMAC-SHA256 of "<t>.<body>" keyed with the endpoint's secret, compared in constant time.
 * Returns the signed timestamp.
 */
export function verifySignature(header: string | string[] | undefined, body: string, secret: string): number {
  const parts = String(header)
    .split(",")
    .map((part) => part.split("=", 2) as [string, string]);
  const t = parts.find(([name]) => name === "t")?.[1];
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  const matches = parts
    .filter(([name]) => name === "v1")
    .some(([, value]) => {
      const given = Buffer.from(value, "hex");
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  if (!matches) throw new Error("bad webhook signature");
  return Number(t);
}
