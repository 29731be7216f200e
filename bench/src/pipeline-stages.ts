// The REST pipeline's fixed cost, stage by stage. Each scenario is a real request to the real API
// server (src/api-server.ts, production settings) that the pipeline stops at a later stage than the one before:
// so the difference between two neighbours is what one stage costs, measured as the server's CPU per request
// (pidusage over the measured window), with no switch in the app's code and nothing mocked. Then the stages
// that cost something of their own, one by one in this process (tinybench), so that the HTTP figures' sums
// can be read by part.
//
//   npx pnpm@10.34.8 --filter @repokeys/bench bench:pipeline-stages [-- --duration 8 --warmup 2 --connections 16]

import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ApiMetrics, createLogger, updateRepoAiApiKeyRequest } from "@repokeys/api";
import { formatMasterKey } from "@repokeys/crypto";
import type autocannon from "autocannon";
import pg from "pg";
import { Bench } from "tinybench";
import { round, runAutocannon } from "./load";
import { backendPids, cpuReading } from "./process-cpu";
import { admin, benchArgs, benchDir, standaloneBench, startStandaloneApi } from "./standalone-bench";

const args = benchArgs({
  connections: { type: "string", default: "16" },
  duration: { type: "string", default: "8" },
  warmup: { type: "string", default: "2" },
});
const connections = Number(args.connections);
const { log, cleanups, freshDatabase, exitWith } = standaloneBench("pipeline-stages");

interface Stage {
  id: string;
  /** What this request adds to the one before it. */
  adds: string;
  status: number;
  request: (base: string) => autocannon.Options;
}

/** Stages alone, as the pipeline calls them for one rename, in this process. */
async function stagesAlone() {
  const requestLog = createLogger("info", { write: () => {} }).child({}, { redact: [] });
  const route = new ApiMetrics().route("/repo/{repoId}/ai/apikey/{apikeyId}");
  const bench = new Bench({ time: 1_000, warmupTime: 200 });
  bench
    .add("request id (randomUUID)", () => randomUUID())
    .add("request log line (pino, serialised; its buffered write is shared by many lines)", () =>
      requestLog.info(
        { requestId: "9b2f", method: "PUT", path: "/repo/r/ai/apikey/k", status: 200, durationMs: 1.2, userId: "u" },
        "request",
      ),
    )
    .add("duration metric (prom-client histogram, labelled)", () => route.observe("PUT", 200, 0.0012))
    .add("body parse (JSON.parse)", () => JSON.parse('{"name":"Production gateway key"}'))
    .add("input validation (zod, the rename body)", () =>
      updateRepoAiApiKeyRequest.parse({ name: "Production gateway key" }),
    )
    .add("answer (JSON.stringify)", () =>
      JSON.stringify({ success: true, message: "AI API key updated successfully" }),
    );
  await bench.run();
  return bench.tasks.map((task) => ({
    stage: task.name,
    nsPerCall: round((task.result?.mean ?? Number.NaN) * 1e6, 0),
    samples: task.result?.samples.length ?? 0,
  }));
}

async function main(): Promise<boolean> {
  const { database, databaseUrl } = await freshDatabase(args["pg-url"], "repokeys_pipeline_bench");
  const env = { DATABASE_URL: databaseUrl, MASTER_KEYS: formatMasterKey(1) };
  const loadBefore = os.loadavg();
  const email = "pipeline-bench@example.test";
  await admin(env, "user", "create", "--email", email, "--name", "Pipeline Bench");
  const workspace = JSON.parse(await admin(env, "workspace", "create", "--name", "Pipeline", "--owner", email));
  const repo = JSON.parse(await admin(env, "repo", "create", "--workspace", workspace.id, "--name", "staged"));
  const token = await admin(env, "token", "create", "--email", email, "--name", "pipeline bench");

  const { server, base } = await startStandaloneApi("pipeline-api", env);
  const authorization = `Bearer ${token}`;
  const created = await fetch(`${base}/repo/${repo.id}/ai/apikey`, {
    method: "POST",
    headers: { authorization, "content-type": "application/json" },
    body: JSON.stringify({ name: "staged key", aiType: "OTHER" }),
  });
  if (created.status !== 201) throw new Error(`creating the key: ${created.status}`);
  const key = (await created.json()) as { id: string };
  const keyUrl = `${base}/repo/${repo.id}/ai/apikey/${key.id}`;
  const json = { "content-type": "application/json" };
  let renames = 0;

  const stages: Stage[] = [
    {
      id: "not-ours",
      adds: "the server and the API's path check (a path the web app would serve: 404 from src/api-server.ts)",
      status: 404,
      request: () => ({ url: `${base}/elsewhere` }),
    },
    {
      id: "no-route",
      adds: "request id, response headers, the log line, the duration metric, REST routing and a JSON 404 (a path under /repo/ that no route has)",
      status: 404,
      request: () => ({ url: `${base}/repo/${repo.id}/nothing/here`, method: "PUT", headers: json, body: "{}" }),
    },
    {
      id: "no-token",
      adds: "the Authorization check and a 401 answer (PUT rename without a token)",
      status: 401,
      request: () => ({ url: keyUrl, method: "PUT", headers: json, body: '{"name":"x"}' }),
    },
    {
      id: "invalid-body",
      adds: "the token (cached), the body read and parse, the middleware chain, the rate limit and zod refusing",
      status: 400,
      request: () => ({
        url: keyUrl,
        method: "PUT",
        headers: { ...json, authorization },
        body: JSON.stringify({ name: "x".repeat(101) }),
      }),
    },
    {
      id: "same-name",
      adds: "zod accepting and the rename statement, which finds nothing to change (authorize, lock, compare)",
      status: 200,
      request: () => ({
        url: keyUrl,
        method: "PUT",
        headers: { ...json, authorization },
        body: JSON.stringify({ name: "staged key" }),
      }),
    },
    {
      id: "rename",
      adds: "the change itself: the row updated and its audit event written",
      status: 200,
      request: () => ({
        url: keyUrl,
        method: "PUT",
        headers: { ...json, authorization },
        requests: [
          {
            setupRequest: (request) => ({ ...request, body: JSON.stringify({ name: `staged key ${++renames}` }) }),
          },
        ],
      }),
    },
  ];

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  cleanups.push(() => db.end());
  const results = [];
  let before: number | undefined;
  for (const stage of stages) {
    const options = { ...stage.request(base), connections };
    const check = await fetch(options.url as string, {
      method: (options.method as string) ?? "GET",
      headers: options.headers as Record<string, string>,
      body: (options.body as string) ?? (options.requests ? JSON.stringify({ name: "staged key 0" }) : undefined),
    });
    await check.arrayBuffer();
    if (check.status !== stage.status) throw new Error(`${stage.id}: ${check.status}, expected ${stage.status}`);
    await runAutocannon({ ...options, duration: Number(args.warmup) });
    const backends = await backendPids(db, database);
    const serverCpu = await cpuReading([server.pid]);
    const dbCpu = await cpuReading(backends);
    const r = await runAutocannon({ ...options, duration: Number(args.duration) });
    const serverUs = ((await serverCpu.spentMs()) / r.requests.total) * 1000;
    const dbUs = ((await dbCpu.spentMs()) / r.requests.total) * 1000;
    const result = {
      stage: stage.id,
      adds: stage.adds,
      requestsPerSec: Math.round(r.requests.average),
      p99Ms: r.latency.p99,
      serverCpuUsPerRequest: round(serverUs, 1),
      addedServerCpuUs: before === undefined ? null : round(serverUs - before, 1),
      dbCpuUsPerRequest: round(dbUs, 1),
      unexpectedStatus: r.requests.total - (r[`${String(stage.status)[0]}xx` as "2xx"] ?? 0),
      errors: r.errors,
    };
    before = serverUs;
    results.push(result);
    log(JSON.stringify(result));
  }
  const alone = await stagesAlone();
  for (const stage of alone) log(JSON.stringify(stage));
  const out = path.join(benchDir, "results-pipeline-stages.json");
  const loadAverage = { before: loadBefore.map((l) => round(l, 2)), after: os.loadavg().map((l) => round(l, 2)) };
  writeFileSync(
    out,
    `${JSON.stringify({ measuredAt: new Date().toISOString(), connections, loadAverage, results, alone }, null, 2)}\n`,
  );
  log(`wrote ${path.relative(process.cwd(), out)}`);
  return results.every((r) => r.unexpectedStatus === 0 && r.errors === 0);
}

exitWith(main);
