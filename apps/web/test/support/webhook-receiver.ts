import { createHmac } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders } from "node:http";

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  /** Where the receiver listens, as an endpoint URL (loopback: the server under test needs WEBHOOK_ALLOW_PRIVATE=1). */
  url: string;
  /** Every request received so far, in order. */
  received: ReceivedDelivery[];
  close(): Promise<void>;
}

/** A real HTTP receiver on 127.0.0.1 that answers every delivery 200 and keeps what it was sent. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  const server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    received.push({ headers: request.headers, body });
    response.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks/repokeys`,
    received,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

/** The event id a delivery carries in its body (the same on every attempt and resend), and its event. */
export const eventIdOf = (delivery: ReceivedDelivery) => String(JSON.parse(delivery.body).id);
export const eventOf = (delivery: ReceivedDelivery) => String(JSON.parse(delivery.body).type);

/** Whether a delivery is signed with `secret` (Repokeys-Signature: t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">). */
export function signedWith(delivery: ReceivedDelivery, secret: string): boolean {
  const parts = String(delivery.headers["repokeys-signature"])
    .split(",")
    .map((part) => part.split("=", 2));
  const t = parts.find(([name]) => name === "t")?.[1];
  const expected = createHmac("sha256", secret).update(`${t}.${delivery.body}`).digest("hex");
  // After a rotation the replaced secret signs too for a day: one `v1=` for each.
  return parts.some(([name, value]) => name === "v1" && value === expected);
}
