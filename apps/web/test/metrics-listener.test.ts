// The real server.ts serves Prometheus metrics on a listener of its own (METRICS_PORT, a free port here), never
// on the public port; web pages count under one route label. What the metrics hold: packages/api/test/metrics.test.ts.
import { afterAll, beforeAll, expect, it } from "vitest";
import { type AppServer, startAppServer } from "./support/app-server";
import { prepareTestData, type TestData } from "./support/test-data";

let data: TestData;
let server: AppServer;

beforeAll(async () => {
  data = await prepareTestData();
  server = await startAppServer(data.env);
});

afterAll(async () => {
  await server?.stop();
  await data?.dispose();
});

it("serves /metrics on its own loopback port only, counting API routes and web pages by pattern", async () => {
  const publicMetrics = await fetch(`${server.baseUrl}/metrics`);
  expect(publicMetrics.status).toBe(404);
  expect(await publicMetrics.text()).not.toContain("repokeys_");
  expect((await fetch(`${server.baseUrl}/openapi.json`)).status).toBe(200);
  await fetch(`${server.baseUrl}/sign-in?from=${"x".repeat(20)}`);

  expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  const scraped = await fetch(server.metricsUrl);
  expect(scraped.status).toBe(200);
  const text = await scraped.text();
  expect(text).toMatch(
    /^repokeys_http_request_duration_seconds_count\{route="\/openapi\.json",method="GET",status="200"\} 1$/m,
  );
  expect(text).toMatch(
    /^repokeys_http_request_duration_seconds_count\{route="\(web\)",method="GET",status="\d+"\} [1-9]/m,
  );
  expect(text).not.toContain("xxxxxxxxxxxxxxxxxxxx");
  expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  expect(await server.output()).toContain(`metrics are served at ${server.metricsUrl}`);
});
