// The example gateway against a real repokeys server (the API's test harness) and a local stand-in for the
// AI providers: no network. Valid pairs are forwarded to the upstream of the key's AI type; anything else is
// refused with a message an app developer can act on, and the secret never reaches the logs or the upstream.
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createCaller, typedCallContext } from "@repokeys/api";
import { createGatewayToken, createWorkspaceFixture, type Harness, startHarness } from "@repokeys/api/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createGateway, keyHeader, secretHeader } from "../src/gateway";

interface Seen {
  upstream: string;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let h: Harness;
let member: ReturnType<typeof createCaller>;
let repoId: string;
const seen: Seen[] = [];
const logs: string[] = [];
const servers: Server[] = [];

async function listen(server: Server): Promise<string> {
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A stand-in provider: records what reached it and answers like one. */
const standIn = (name: string) =>
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      seen.push({
        upstream: name,
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ from: name }));
    });
  });

let gatewayUrl: string;

beforeAll(async () => {
  h = await startHarness();
  const ws = await createWorkspaceFixture(h.services);
  member = createCaller(typedCallContext(h.services, ws.MEMBER.actor));
  repoId = ws.repo.id;
  const openai = await listen(standIn("openai"));
  const anthropic = await listen(standIn("anthropic"));
  gatewayUrl = await listen(
    createGateway({
      repokeysUrl: h.baseUrl,
      gatewayToken: await createGatewayToken(h.services, { name: "example gateway" }),
      upstreams: { OPENAI: openai, ANTHROPIC: anthropic },
      upstreamHeaders: { OPENAI: { authorization: "Bearer provider-key" } },
      log: (line) => logs.push(JSON.stringify(line)),
    }),
  );
});
afterAll(async () => {
  for (const server of servers) server.close();
  await h?.close();
});

const call = (pair: { key: string; secret: string } | null, body = '{"model":"x"}') =>
  fetch(`${gatewayUrl}/v1/chat/completions?stream=false`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(pair ? { [keyHeader]: pair.key, [secretHeader]: pair.secret } : {}),
    },
    body,
  });

const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

it("forwards a valid pair to the upstream of the key's AI type, without the app's credentials", async () => {
  const key = await member.createAiApiKey({ repoId, name: "app", aiType: "OPENAI" });
  const res = await call(key, '{"model":"gpt","messages":[]}');
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ from: "openai" });
  const reached = seen.at(-1)!;
  expect(reached).toMatchObject({ upstream: "openai", method: "POST", url: "/v1/chat/completions?stream=false" });
  expect(reached.body).toBe('{"model":"gpt","messages":[]}');
  expect(reached.headers).toMatchObject({ authorization: "Bearer provider-key", "x-repokeys-apikey-id": key.id });
  expect(reached.headers[keyHeader]).toBeUndefined();
  expect(reached.headers[secretHeader]).toBeUndefined();

  const claude = await member.createAiApiKey({ repoId, name: "app", aiType: "ANTHROPIC" });
  expect(await (await call(claude)).json()).toEqual({ from: "anthropic" });
});

it("refuses a wrong secret, a deleted key, an expired grace and a missing pair with a clear error", async () => {
  const before = seen.length;
  const key = await member.createAiApiKey({ repoId, name: "refused", aiType: "OPENAI" });

  const wrong = await call({ key: key.key, secret: "rks_not-the-secret" });
  expect(wrong.status).toBe(401);
  expect(await errorOf(wrong)).toMatch(/key or secret is not valid/);

  const missing = await call(null);
  expect(missing.status).toBe(401);
  expect(await errorOf(missing)).toMatch(/x-repokeys-key and x-repokeys-secret/);

  const rotated = await member.rotateAiApiKey({ repoId, apikeyId: key.id, graceSeconds: 0 });
  const expired = await call(key);
  expect(expired.status).toBe(401);
  expect(await errorOf(expired)).toMatch(/expired.*grace period after a rotation/);
  expect((await call(rotated)).status).toBe(200);

  await member.deleteAiApiKey({ repoId, apikeyId: rotated.id });
  const deleted = await call(rotated);
  expect(deleted.status).toBe(401);
  expect(await errorOf(deleted)).toMatch(/key or secret is not valid/);

  const other = await member.createAiApiKey({ repoId, name: "no upstream", aiType: "AWS" });
  const unrouted = await call(other);
  expect(unrouted.status).toBe(502);
  expect(await errorOf(unrouted)).toMatch(/No upstream is configured for AI type AWS/);

  expect(seen.length - before).toBe(1); // only the rotated key's valid call got through
});

it("logs each request without any secret", async () => {
  const key = await member.createAiApiKey({ repoId, name: "logged", aiType: "OPENAI" });
  await call(key);
  await call({ key: key.key, secret: `${key.secret}x` });
  expect(logs.length).toBeGreaterThan(0);
  const all = logs.join("\n");
  expect(all).not.toContain(key.secret);
  expect(all).not.toContain("rks_");
  expect(all).toContain(key.id);
});
