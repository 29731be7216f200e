// Webhook hosts are looked up with c-ares against the configured DNS servers (here one of the test's own), each
// lookup bounded in time and cancellable, and a workspace's registrations have a bounded number of lookups at
// once: a name whose server never answers holds up neither other lookups nor other workspaces.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Actor, createCaller, typedCallContext } from "../src";
import { api, createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";
import { resolveWebhookTarget } from "../src/webhooks/webhook-address";
import { startDnsServer } from "./support/dns-server";

const dnsTimeoutMs = 1_500;
const lookupsPerWorkspace = 2;

let dns: Awaited<ReturnType<typeof startDnsServer>>;
let h: Harness;
let a: WorkspaceFixture;
let b: WorkspaceFixture;

beforeAll(async () => {
  dns = await startDnsServer({
    "silent.test": "silent",
    "public.test": { A: ["93.184.215.14"] },
    "v6only.test": { AAAA: ["2606:4700::1111"] },
    "internal.test": { A: ["10.20.30.40"] },
    "mixed.test": { A: ["93.184.215.14"], AAAA: ["fd00::17"] },
    "compat.test": { AAAA: ["::7f00:1"] },
  });
  h = await startHarness({
    webhooks: { dnsServers: [dns.server], dnsTimeoutMs, dnsLookupsPerWorkspace: lookupsPerWorkspace },
    deliverWebhooks: false,
  });
  a = await createWorkspaceFixture(h.services);
  b = await createWorkspaceFixture(h.services);
});
afterAll(async () => {
  await h?.close();
  await dns?.close();
});

const as = (actor: Actor) => createCaller(typedCallContext(h.services, actor));
const register = (ws: WorkspaceFixture, url: string) =>
  as(ws.OWNER.actor).createWebhookEndpoint({ workspaceId: ws.workspace.id, url, events: ["apikey.created"] });
const dnsSettings = () => ({ dnsServers: [dns.server], dnsTimeoutMs });
const timed = async <T>(run: () => Promise<T>) => {
  const started = performance.now();
  const outcome = await run().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return { ...outcome, ms: performance.now() - started };
};

describe("webhook host lookups", () => {
  it("resolve A and AAAA at the configured server; a refusal names the host, never what it resolved to", async () => {
    await expect(register(a, "https://public.test/hooks")).resolves.toMatchObject({
      endpoint: { url: "https://public.test/hooks" },
    });
    await expect(register(a, "https://v6only.test/hooks")).resolves.toBeDefined();
    for (const host of ["internal.test", "mixed.test", "compat.test", "nosuch.test"]) {
      const refused = await register(a, `https://${host}/hooks`).catch((err: unknown) => err);
      expect(refused, host).toMatchObject({
        code: "BAD_REQUEST",
        message: `The webhook URL's host ${host} is not a public address, nor a name that resolves only to public addresses.`,
      });
    }
    const target = await resolveWebhookTarget("https://v6only.test/x", false, { dns: dnsSettings() });
    expect(target.address).toEqual({ address: "2606:4700::1111", family: 6 });
  });

  it("one name whose server never answers delays no other lookup, and gives up after WEBHOOK_DNS_TIMEOUT_MS", async () => {
    // More silent lookups at once than libuv's thread pool has threads (4): dns.lookup would queue behind them.
    const silent = Array.from({ length: 12 }, () =>
      timed(() => resolveWebhookTarget("https://silent.test/x", false, { dns: dnsSettings() })),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const other = await timed(() => resolveWebhookTarget("https://public.test/x", false, { dns: dnsSettings() }));
    expect(other).toMatchObject({ value: { address: { address: "93.184.215.14", family: 4 } } });
    expect(other.ms).toBeLessThan(500);
    for (const lookup of await Promise.all(silent)) {
      expect(lookup).toMatchObject({ error: { message: expect.stringMatching(/did not answer in time/) } });
      expect(lookup.ms).toBeGreaterThan(dnsTimeoutMs - 100);
      expect(lookup.ms).toBeLessThan(dnsTimeoutMs + 1_000);
    }
  });

  it("gives up after WEBHOOK_DNS_TIMEOUT_MS whatever the garbage collector does, though c-ares would wait longer", async () => {
    const fixture = fileURLToPath(new URL("./fixtures/dns-lookup-gc.ts", import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--expose-gc", "--import", "tsx", fixture, String(dnsTimeoutMs)],
      { cwd: fileURLToPath(new URL("..", import.meta.url)) },
    );
    const lookup = JSON.parse(stdout) as { outcome: string; ms: number };
    expect(lookup.outcome).toBe("WebhookDnsUnanswered");
    expect(lookup.ms).toBeLessThan(dnsTimeoutMs + 500);
  });

  it("ends a lookup when its signal aborts, well before the DNS timeout", async () => {
    const signal = AbortSignal.timeout(100);
    const lookup = await timed(() =>
      resolveWebhookTarget("https://silent.test/x", false, { signal, dns: dnsSettings() }),
    );
    expect(lookup).toMatchObject({ error: { name: "TimeoutError" } });
    expect(lookup.ms).toBeLessThan(600);
    const aborted = new AbortController();
    aborted.abort(new Error("stopping"));
    await expect(
      resolveWebhookTarget("https://public.test/x", false, { signal: aborted.signal, dns: dnsSettings() }),
    ).rejects.toThrow("stopping");
  });

  it("bounds a workspace's lookups at once: past the bound 429, while another workspace registers at once", async () => {
    const slow = Array.from({ length: lookupsPerWorkspace }, () => timed(() => register(a, "https://silent.test/x")));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await timed(() => register(a, "https://public.test/over-the-bound"));
    expect(refused).toMatchObject({
      error: {
        code: "TOO_MANY_REQUESTS",
        message: expect.stringMatching(/2 webhook address checks at once per workspace/),
      },
    });
    expect(refused.ms).toBeLessThan(500);
    const rest = await api(h.baseUrl, "POST", `/workspace/${a.workspace.id}/webhook`, {
      token: a.OWNER.token,
      body: { url: "https://public.test/over-the-bound", events: ["apikey.created"] },
    });
    expect(rest.status).toBe(429);
    expect(rest.headers.get("retry-after")).toBe("1");
    const other = await timed(() => register(b, "https://public.test/other-workspace"));
    expect(other).toMatchObject({ value: { endpoint: { url: "https://public.test/other-workspace" } } });
    expect(other.ms).toBeLessThan(500);
    for (const registration of await Promise.all(slow)) {
      expect(registration).toMatchObject({
        error: { code: "BAD_REQUEST", message: expect.stringMatching(/silent\.test could not be looked up/) },
      });
    }
    // The slots are given back once the lookups end.
    await expect(register(a, "https://public.test/after")).resolves.toBeDefined();
  });

  it("a caller who may not manage the workspace's webhooks spends none of its lookups, nor any DNS query", async () => {
    const asked = dns.asked("silent.test");
    const strangers = Array.from({ length: lookupsPerWorkspace * 3 }, () =>
      as(b.OWNER.actor)
        .createWebhookEndpoint({
          workspaceId: a.workspace.id,
          url: "https://silent.test/x",
          events: ["apikey.created"],
        })
        .catch((err: unknown) => err),
    );
    const member = as(a.MEMBER.actor)
      .createWebhookEndpoint({ workspaceId: a.workspace.id, url: "https://silent.test/x", events: ["apikey.created"] })
      .catch((err: unknown) => err);
    const own = await timed(() => register(a, "https://public.test/still-mine"));
    expect(own).toMatchObject({ value: { endpoint: { url: "https://public.test/still-mine" } } });
    for (const refused of await Promise.all(strangers)) expect(refused).toMatchObject({ code: "NOT_FOUND" });
    expect(await member).toMatchObject({ code: "FORBIDDEN" });
    expect(dns.asked("silent.test")).toBe(asked);
  });
});
