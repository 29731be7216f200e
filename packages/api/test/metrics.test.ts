// The Prometheus metrics: scraped over HTTP from their own listener and parsed with prom2javascript,
// after real traffic (REST, tRPC, verifications, a rate limit, admin commands through the admin socket) and
// hostile traffic whose paths, methods and credentials must never become label values.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { getMetricsFromStream, type PromMetrics } from "prom2javascript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiMetrics,
  appRouter,
  type MetricsServer,
  metricsSettingsFromEnv,
  otherRoutes,
  serveAdminCommands,
  serveMetrics,
} from "../src";
import { askRunningApp } from "../src/admin/admin-socket-client";
import { adminSocketPath } from "../src/admin/admin-socket-path";
import { procedureCatalog } from "../src/http/procedure-catalog";
import { restRoutesOf } from "../src/http/rest-routes";
import { trpcBasePath } from "../src/http/trpc-handler";
import { api, createGatewayToken } from "../src/testing";
import { freePort } from "./support/free-port";
import { suiteHarness } from "./support/suite-harness";

describe("settings", () => {
  it("listen on 127.0.0.1:9464 by default; METRICS_PORT=0 or off serves none; a bad port says what it takes", () => {
    expect(metricsSettingsFromEnv({})).toEqual({ port: 9464, host: "127.0.0.1" });
    expect(metricsSettingsFromEnv({ METRICS_PORT: "9100", METRICS_HOST: "0.0.0.0" })).toEqual({
      port: 9100,
      host: "0.0.0.0",
    });
    expect(metricsSettingsFromEnv({ METRICS_PORT: "0" }).port).toBeUndefined();
    expect(metricsSettingsFromEnv({ METRICS_PORT: "off" }).port).toBeUndefined();
    expect(() => metricsSettingsFromEnv({ METRICS_PORT: "nine" })).toThrow(
      /METRICS_PORT must be a port from 1 to 65535/,
    );
  });

  it("serve nothing when off; a port already in use fails the start, saying what to do", async () => {
    const host = "127.0.0.1";
    expect(await serveMetrics(new ApiMetrics(), { port: undefined, host })).toBeUndefined();
    const first = (await serveMetrics(new ApiMetrics(), { port: await freePort(), host }))!;
    const port = Number(new URL(first.url).port);
    await expect(serveMetrics(new ApiMetrics(), { port, host })).rejects.toThrow(
      /cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)\. Set METRICS_PORT to a free port \(each instance on one machine needs its own\), or METRICS_PORT=off/,
    );
    await first.close();
  });
});

/**
 * One scrape, parsed. prom2javascript reads no NaN, which prom-client writes (as Prometheus reads it) for the
 * event loop's lag before its first sample since the last scrape: only those lines are left out.
 */
const scrape = async (url: string): Promise<PromMetrics> => {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = (await res.text()).replace(/^nodejs_eventloop_lag_\w+ Nan$/gm, "");
  return getMetricsFromStream(Readable.from([text]));
};
type Sample = { labels: Record<string, string>; value?: number; count?: number };
const samplesOf = (metrics: PromMetrics, name: string) => (metrics[name]?.data ?? []) as Sample[];
/** A counter's or gauge's value, or a histogram's count, for the labels given (all must match). */
const sampleValue = (metrics: PromMetrics, name: string, labels: Record<string, string>) => {
  const sample = samplesOf(metrics, name).find((m) => Object.entries(labels).every(([k, v]) => m.labels[k] === v));
  return sample?.value ?? sample?.count;
};

describe("the metrics listener", () => {
  const suite = suiteHarness({ rateLimits: { restPerMinute: 3, signInPerAccount: 0, signInPerAddress: 0 } });
  let metrics: MetricsServer;
  let dataDir: string;
  beforeAll(async () => {
    metrics = (await serveMetrics(suite.h.services.metrics, { port: await freePort(), host: "127.0.0.1" }))!;
    dataDir = await mkdtemp(path.join(tmpdir(), "repokeys-metrics-"));
  });
  afterAll(async () => {
    await metrics?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("counts requests by route pattern, verifications by result and cache outcome, refusals, admin commands", async () => {
    const { h, ws } = suite;
    const list = `/repo/${ws.repo.id}/ai/apikey`;
    const created = await api(h.baseUrl, "POST", list, { token: ws.MEMBER.token, body: { name: "k", aiType: "AWS" } });
    expect(created.status).toBe(201);
    const gateway = await createGatewayToken(h.services, { name: "metrics" });
    const verify = (secret: string) =>
      api(h.baseUrl, "POST", "/ai/apikey/verify", { token: gateway, body: { key: created.json.key, secret } });
    expect((await verify(created.json.secret)).json.valid).toBe(true); // a miss, then cached
    expect((await verify(created.json.secret)).json.valid).toBe(true); // a hit
    expect((await verify("rks_wrong")).json).toEqual({ valid: false, code: "INVALID" });
    await h.services.db.sql.query(`UPDATE "RepoAiApiKey" SET "expiresAt" = now() - interval '1 day' WHERE id = $1`, [
      created.json.id,
    ]);
    h.services.keyVerifier.forget(created.json.key);
    expect((await verify(created.json.secret)).json).toEqual({ valid: false, code: "EXPIRED" });
    const input = encodeURIComponent(JSON.stringify({ repoId: ws.repo.id }));
    expect(
      (await api(h.baseUrl, "GET", `/api/trpc/listAiApiKeys?input=${input}`, { token: ws.VIEWER.token })).status,
    ).toBe(200);
    // The tRPC call spent one of the viewer's 3 calls a minute.
    for (let i = 0; i < 2; i++) await api(h.baseUrl, "GET", list, { token: ws.VIEWER.token });
    expect((await api(h.baseUrl, "GET", list, { token: ws.VIEWER.token })).status).toBe(429);

    await serveAdminCommands(h.services, { dataDir, masterKeys: h.masterKeys, logger: h.services.logger });
    const socket = adminSocketPath(dataDir);
    expect((await askRunningApp(socket, { argv: ["workspace", "list"], cwd: dataDir }))?.exitCode).toBe(0);
    expect((await askRunningApp(socket, { argv: ["no-such-command"], cwd: dataDir }))?.exitCode).toBe(2);

    const families = await scrape(metrics.url);
    const duration = "repokeys_http_request_duration_seconds";
    expect(families[duration]?.type).toBe("histogram");
    expect(sampleValue(families, duration, { route: "/repo/{repoId}/ai/apikey", method: "POST", status: "201" })).toBe(
      1,
    );
    expect(sampleValue(families, duration, { route: "/repo/{repoId}/ai/apikey", method: "GET", status: "429" })).toBe(
      1,
    );
    expect(sampleValue(families, duration, { route: "/ai/apikey/verify", method: "POST", status: "200" })).toBe(4);
    expect(sampleValue(families, duration, { route: "/api/trpc/listAiApiKeys", method: "GET", status: "200" })).toBe(1);
    const verifications = "repokeys_key_verifications_total";
    expect(sampleValue(families, verifications, { result: "valid" })).toBe(2);
    expect(sampleValue(families, verifications, { result: "invalid" })).toBe(1);
    expect(sampleValue(families, verifications, { result: "expired" })).toBe(1);
    expect(sampleValue(families, "repokeys_key_cache_lookups_total", { outcome: "miss" })).toBe(2);
    expect(sampleValue(families, "repokeys_key_cache_lookups_total", { outcome: "hit" })).toBe(2);
    expect(sampleValue(families, "repokeys_rate_limit_refusals_total", { limit: "rest" })).toBe(1);
    expect(sampleValue(families, "repokeys_rate_limit_refusals_total", { limit: "signin-address" })).toBeUndefined();
    const admin = "repokeys_admin_commands_total";
    expect(sampleValue(families, admin, { command: "workspace list", exit_code: "0" })).toBe(1);
    expect(sampleValue(families, admin, { command: "(unknown)", exit_code: "2" })).toBe(1);
    expect(families.process_cpu_user_seconds_total?.type).toBe("counter");
    expect(families.nodejs_heap_size_used_bytes?.type).toBe("gauge");
    if (h.services.db.kind === "postgres") {
      for (const state of ["in_use", "idle", "waiting"])
        expect(sampleValue(families, "repokeys_db_pool_connections", { state })).toBeGreaterThanOrEqual(0);
      expect(sampleValue(families, "repokeys_db_pool_connections", { state: "max" })).toBe(20);
    } else expect(families.repokeys_db_pool_connections).toBeUndefined();
  });

  it("serves only GET /metrics there, and nothing at /metrics on the public port", async () => {
    expect((await fetch(metrics.url.replace("/metrics", "/"))).status).toBe(404);
    expect((await fetch(metrics.url, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${suite.h.baseUrl}/metrics`)).status).toBe(404);
  });

  it("keeps every label value in a fixed set whatever the paths, methods and credentials sent", async () => {
    const { h, ws } = suite;
    const allowedRoutes = new Set<string>([
      ...restRoutesOf(appRouter).map((r) => r.pathTemplate),
      ...procedureCatalog().map(({ name }) => `${trpcBasePath}${name}`),
      ...Object.values(otherRoutes),
    ]);
    const planted: string[] = [ws.repo.id, ws.workspace.id, ws.MEMBER.actor.userId, ws.MEMBER.token];
    const hostileRound = async () => {
      for (let i = 0; i < 20; i++) {
        const junk = randomBytes(9).toString("hex");
        const token = `rkt_${junk}`;
        planted.push(junk);
        const auth = { token };
        await Promise.all([
          api(h.baseUrl, "GET", `/repo/${junk}/ai/apikey`, auth),
          api(h.baseUrl, "PUT", `/repo/${ws.repo.id}/ai/apikey/${junk}`, {
            token: ws.MEMBER.token,
            body: { name: junk },
          }),
          api(h.baseUrl, "DELETE", `/repo/${junk}/nothing/${junk}?${junk}=1`, auth),
          api(h.baseUrl, "GET", `/ai/${junk}`, auth),
          api(h.baseUrl, "GET", `/systemevent/${junk}`, auth),
          api(h.baseUrl, "GET", `/api/trpc/${junk}`, auth),
          api(h.baseUrl, "GET", `/api/trpc/${junk},listAiApiKeys`, auth),
          api(h.baseUrl, "PROPFIND", `/repo/${junk}/ai/apikey`, auth),
          api(h.baseUrl, "POST", "/ai/apikey/verify", {
            token: `rkg_${junk}`,
            body: { key: `rk_${junk}`, secret: junk },
          }),
        ]);
      }
    };
    const labelValues = (metrics: PromMetrics) =>
      Object.entries(metrics).flatMap(([name, metric]) =>
        (metric.data as Sample[]).flatMap((m) => Object.entries(m.labels).map(([k, v]) => `${name} ${k}=${v}`)),
      );
    const seriesOf = (metrics: PromMetrics) => new Set(labelValues(metrics).filter((v) => v.startsWith("repokeys_")));
    await hostileRound();
    const afterOne = await scrape(metrics.url);
    await hostileRound();
    const afterTwo = await scrape(metrics.url);

    const values = labelValues(afterTwo);
    for (const secretish of planted) expect(values.filter((v) => v.includes(secretish))).toEqual([]);
    const requests = samplesOf(afterTwo, "repokeys_http_request_duration_seconds");
    const routes = requests.map((m) => m.labels.route!);
    expect(routes.filter((route) => !allowedRoutes.has(route))).toEqual([]);
    expect(routes).toContain(otherRoutes.unmatched);
    expect(routes).toContain(otherRoutes.trpcBatch);
    const methods = new Set(requests.map((m) => m.labels.method));
    expect(methods).toContain("other");
    // Twenty more hostile requests of each kind added counts, not series.
    expect([...seriesOf(afterTwo)].sort()).toEqual([...seriesOf(afterOne)].sort());
  });
});
