// `pnpm --filter @repokeys/bench bench [-- options]`: builds the web app for production, starts it on a fresh
// database of the local PostgreSQL next to the baseline server (the floor), seeds its own data, runs every
// scenario at 1, 16 and 64 connections, counts database round trips through a proxy, and writes
// bench/results.md and bench/results.json. Everything it starts is stopped, on failure too.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { formatMasterKey } from "@repokeys/crypto";
import type autocannon from "autocannon";
import pg from "pg";
import { type Measured, measure, round, runAutocannon, type Scenario } from "./load";
import { type MixedResult, runMixed } from "./mixed";
import { startPgProxy } from "./pg-proxy";
import { killAllSync, runToCompletion, type Started, start, stop, stopAll, waitForHttp } from "./processes";
import { type BenchReport, type RoundTripCount, renderMarkdown, summarize } from "./report";
import { createVerifyPairs, type VerifyPair, verifyRequests } from "./verify-load";

// `pnpm … bench -- --repeats 1` passes the `--` through: drop it.
const argv = process.argv.slice(2);
if (argv[0] === "--") argv.shift();
const { values: args } = parseArgs({
  args: argv,
  options: {
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    repeats: { type: "string", default: "3" },
    connections: { type: "string", default: "1,16,64" },
    scenarios: {
      type: "string",
      default: "baseline,rest,trpc,list-floor,list,list20-floor,list20,list-304,verify-floor,verify,mixed",
    },
    "mixed-duration": { type: "string", default: "30" },
    "count-requests": { type: "string", default: "2000" },
    "pg-url": { type: "string", default: process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" },
    "skip-build": { type: "boolean", default: false },
    "keep-db": { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    out: { type: "string" },
  },
  strict: true,
  allowPositionals: false,
});

const benchDir = path.resolve(import.meta.dirname, "..");
const rootDir = path.resolve(benchDir, "..");
const webDir = path.join(rootDir, "apps/web");
const apiDir = path.join(rootDir, "packages/api");
const workDir = path.join(benchDir, "results"); // git-ignored: logs, profiles, raw output
const outBase = args.out ? path.resolve(args.out) : path.join(benchDir, "results");
mkdirSync(workDir, { recursive: true });

const durationS = Number(args.duration);
const warmupS = Number(args.warmup);
const repeats = Number(args.repeats);
const connectionLevels = args.connections.split(",").map(Number);
const enabled = new Set(args.scenarios.split(","));
const countRequests = Number(args["count-requests"]);
const updateKeyCount = 256;
const listKeyCount = 1000;
/** A typical repository's list, beside the 1,000-key one. */
const smallListKeyCount = 20;
const verifyKeyCount = 256;
const mixedKeyCount = 64;
const mixedDurationS = Number(args["mixed-duration"]);
/** The app's default KEY_CACHE_TTL_MS: the bound the mixed scenario checks. */
const keyCacheTtlMs = 5_000;
const poolMax = 10;

let cleanupStarted = false;
const cleanups: Array<() => Promise<void>> = [];
async function cleanup() {
  if (cleanupStarted) return;
  cleanupStarted = true;
  await stopAll();
  for (const fn of cleanups.reverse()) await fn().catch((err) => console.error("cleanup:", err));
}
process.on("exit", killAllSync);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping everything the bench started`);
    cleanup().finally(() => process.exit(130));
  });
}

function log(message: string) {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function withDatabase(url: string, database: string, port?: number): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (port) u.port = String(port);
  return u.toString();
}

const authSecret = randomBytes(33).toString("base64");

/** Node's arguments for a server; `--profile` writes its CPU profile to results/profiles/<name>/ on exit. */
function profiled(name: string, profile = false): string[] {
  const nodeArgs = ["--import", "tsx"];
  if (profile) nodeArgs.push("--cpu-prof", `--cpu-prof-dir=${path.join(workDir, "profiles", name)}`);
  return nodeArgs;
}

interface AppOptions {
  name: string;
  databaseUrl: string;
  masterKeys: string;
  tokenCacheTtlMs?: number;
  profile?: boolean;
}

async function startApp(o: AppOptions): Promise<{ proc: Started; base: string }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: o.databaseUrl,
    MASTER_KEYS: o.masterKeys,
    // The web app's sign-in needs one in production; the bench uses none of it.
    AUTH_SECRET: authSecret,
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_POOL_MAX: String(poolMax),
    NEXT_TELEMETRY_DISABLED: "1",
    // The REST limit per token (600/min by default) would answer 429 to a load test: raised far out of reach,
    // the in-memory limiter still runs on every request. No Redis: nothing but PostgreSQL on the path.
    RATE_LIMIT_REST_PER_MINUTE: "1000000000",
    // The same for the gateway token's verification limit (6000/min by default).
    RATE_LIMIT_VERIFY_PER_GATEWAY_TOKEN: "1000000000",
    // Each instance its own metrics port (a bench runs several on this machine), served as in production.
    METRICS_PORT: String(await freePort()),
  };
  delete env.REDIS_URL;
  if (o.tokenCacheTtlMs !== undefined) env.TOKEN_CACHE_TTL_MS = String(o.tokenCacheTtlMs);
  else delete env.TOKEN_CACHE_TTL_MS;
  const proc = start(o.name, process.execPath, [...profiled(o.name, o.profile), "server.ts"], {
    cwd: webDir,
    env,
    logFile: path.join(workDir, `${o.name}.log`),
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/openapi.json`, proc);
  return { proc, base };
}

async function startVerifyFloor(
  name: string,
  databaseUrl: string,
  masterKeys: string,
): Promise<{ proc: Started; base: string }> {
  const port = await freePort();
  const proc = start(name, process.execPath, [...profiled(name, args.profile), "src/verify-floor-server.ts"], {
    cwd: benchDir,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      MASTER_KEYS: masterKeys,
      PORT: String(port),
      DATABASE_POOL_MAX: String(poolMax),
      KEY_CACHE_TTL_MS: String(keyCacheTtlMs),
    },
    logFile: path.join(workDir, `${name}.log`),
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/`, proc);
  return { proc, base };
}

async function startBaseline(
  name: string,
  databaseUrl: string,
  bare = false,
  profile = false,
): Promise<{ proc: Started; base: string }> {
  const port = await freePort();
  const proc = start(name, process.execPath, [...profiled(name, profile), "src/baseline-server.ts"], {
    cwd: benchDir,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      DATABASE_POOL_MAX: String(poolMax),
      BASELINE_BARE: bare ? "1" : "0",
      // The app's default token cache TTL, so the floor's cache is the app's.
      TOKEN_CACHE_TTL_MS: "5000",
    },
    logFile: path.join(workDir, `${name}.log`),
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/`, proc);
  return { proc, base };
}

async function admin(env: Record<string, string>, ...argv: string[]): Promise<string> {
  return (
    await runToCompletion(process.execPath, ["--import", "tsx", "src/cli/admin.ts", ...argv], {
      cwd: apiDir,
      env: { ...process.env, ...env, LOG_LEVEL: "warn" },
    })
  ).trim();
}

async function parallel<T>(count: number, width: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await work(i);
      }
    }),
  );
  return out;
}

interface Seed {
  token: string;
  updateRepoId: string;
  listRepoId: string;
  smallListRepoId: string;
  updateKeyIds: string[];
  gatewayToken: string;
  verifyRepoId: string;
  verifyPairs: VerifyPair[];
}

async function seed(appBase: string, env: Record<string, string>): Promise<Seed> {
  const email = `bench-${randomBytes(4).toString("hex")}@example.test`;
  await admin(env, "user", "create", "--email", email, "--name", "Bench User");
  const workspace = JSON.parse(await admin(env, "workspace", "create", "--name", "Bench", "--owner", email));
  const updateRepo = JSON.parse(await admin(env, "repo", "create", "--workspace", workspace.id, "--name", "updates"));
  const listRepo = JSON.parse(await admin(env, "repo", "create", "--workspace", workspace.id, "--name", "thousand"));
  const token = await admin(env, "token", "create", "--email", email, "--name", "bench");
  const create = async (repoId: string, i: number) => {
    const res = await fetch(`${appBase}/repo/${repoId}/ai/apikey`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: `key ${i}`, aiType: "OPENAI" }),
    });
    const body = (await res.json()) as { id: string };
    if (res.status !== 201) throw new Error(`seeding a key answered ${res.status}: ${JSON.stringify(body)}`);
    return body.id;
  };
  const updateKeyIds = await parallel(updateKeyCount, 8, (i) => create(updateRepo.id, i));
  await parallel(listKeyCount, 8, (i) => create(listRepo.id, i));
  const smallListRepo = JSON.parse(await admin(env, "repo", "create", "--workspace", workspace.id, "--name", "twenty"));
  await parallel(smallListKeyCount, 8, (i) => create(smallListRepo.id, i));
  const verifyRepo = JSON.parse(await admin(env, "repo", "create", "--workspace", workspace.id, "--name", "verify"));
  const gatewayToken = await admin(env, "gateway-token", "create", "--name", "bench");
  const verifyPairs = await createVerifyPairs(appBase, token, verifyRepo.id, verifyKeyCount, "verify");
  return {
    token,
    updateRepoId: updateRepo.id,
    listRepoId: listRepo.id,
    smallListRepoId: smallListRepo.id,
    updateKeyIds,
    gatewayToken,
    verifyRepoId: verifyRepo.id,
    verifyPairs,
  };
}

/** Never reset: every name the bench sends is one no key has held before, so every request really renames. */
let renameCounter = 0;

/** Every request a real rename: a fresh name each time, over a pool of keys the token's user may write. */
function renameRequests(kind: "rest" | "trpc", s: Seed, tag: string): Pick<autocannon.Options, "requests"> {
  const headers = { authorization: `Bearer ${s.token}`, "content-type": "application/json" };
  return {
    requests: [
      {
        setupRequest: (req: autocannon.Request) => {
          const n = renameCounter++;
          const apikeyId = s.updateKeyIds[n % s.updateKeyIds.length]!;
          const name = `${tag} ${n}`;
          return kind === "rest"
            ? {
                ...req,
                method: "PUT",
                path: `/repo/${s.updateRepoId}/ai/apikey/${apikeyId}`,
                headers,
                body: JSON.stringify({ name }),
              }
            : {
                ...req,
                method: "POST",
                path: "/api/trpc/updateAiApiKey",
                headers,
                body: JSON.stringify({ repoId: s.updateRepoId, apikeyId, name }),
              };
        },
      } as autocannon.Request,
    ],
  };
}

async function checkOnce(label: string, url: string, init: RequestInit, expect: (body: unknown) => boolean) {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {}
  if (res.status !== 200 || !expect(body))
    throw new Error(`${label}: one request answered ${res.status}: ${text.slice(0, 300)}`);
  log(`${label}: one request answered 200 ✓`);
}

async function countRoundTrips(
  label: string,
  scenarioOptions: () => autocannon.Options,
  proxy: Awaited<ReturnType<typeof startPgProxy>>,
  note: string,
  amount = countRequests,
): Promise<RoundTripCount> {
  await runAutocannon({ ...scenarioOptions(), connections: 16, amount: Math.min(300, amount) });
  await sleep(300);
  proxy.reset();
  const result = await runAutocannon({ ...scenarioOptions(), connections: 16, amount });
  await sleep(300); // anything the requests set off (e.g. a token's lastUsedAt stamp) lands in the count
  const counts = proxy.counts();
  const requests = result.requests.total;
  const errors = result.errors + result.timeouts + result.non2xx;
  log(`  ${label}: ${counts.roundTrips} round trips / ${requests} requests (${errors} errors)`);
  return {
    target: label,
    note,
    requests,
    errors,
    roundTrips: counts.roundTrips,
    syncs: counts.syncs,
    simpleQueries: counts.queries,
    perRequest: round(counts.roundTrips / requests, 3),
  };
}

async function main() {
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  const adminUrl = args["pg-url"];
  const database = `repokeys_bench_${randomBytes(4).toString("hex")}`;
  const adminClient = new pg.Client({ connectionString: adminUrl });
  await adminClient.connect();
  cleanups.push(() => adminClient.end());
  const pgVersion = (await adminClient.query("SHOW server_version")).rows[0].server_version as string;
  const pgSettings = Object.fromEntries(
    (
      await adminClient.query<{ name: string; setting: string }>(
        "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'max_connections')",
      )
    ).rows.map((r) => [r.name, r.setting]),
  );

  if (!args["skip-build"]) {
    log("building the web app for production (pnpm --filter @repokeys/web build)");
    await runToCompletion("pnpm", ["--filter", "@repokeys/web", "build"], {
      cwd: rootDir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      inherit: true,
    });
  }

  await adminClient.query(`CREATE DATABASE ${database}`);
  if (!args["keep-db"])
    cleanups.push(async () => {
      await adminClient.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    });
  log(`database ${database} created`);
  const databaseUrl = withDatabase(adminUrl, database);
  const masterKeys = formatMasterKey(1);
  const dbEnv = { DATABASE_URL: databaseUrl, MASTER_KEYS: masterKeys };

  const app = await startApp({ name: "app", databaseUrl, masterKeys, profile: args.profile });
  log(`app (production build, pid ${app.proc.pid}) at ${app.base}; it migrated the database`);
  const benchDb = new pg.Client({ connectionString: databaseUrl });
  await benchDb.connect();
  cleanups.push(() => benchDb.end());

  log(
    `seeding: a user, a workspace, three repositories, a token, a gateway token, ${updateKeyCount} + ${listKeyCount} + ${verifyKeyCount} keys`,
  );
  const s = await seed(app.base, dbEnv);
  const baseline = await startBaseline("baseline", databaseUrl, false, args.profile);
  log(`baseline server (pid ${baseline.proc.pid}) at ${baseline.base}`);

  const verifyFloor = await startVerifyFloor("verify-floor", databaseUrl, masterKeys);
  log(`verify floor server (pid ${verifyFloor.proc.pid}) at ${verifyFloor.base}`);

  const baselineBare = enabled.has("baseline-bare")
    ? await startBaseline("baseline-bare", databaseUrl, true)
    : undefined;
  const uncached = enabled.has("rest-nocache")
    ? await startApp({ name: "app-nocache", databaseUrl, masterKeys, tokenCacheTtlMs: 0 })
    : undefined;

  // One request of each kind, checked by hand before any load.
  const auth = { authorization: `Bearer ${s.token}`, "content-type": "application/json" };
  const keyPath = `/repo/${s.updateRepoId}/ai/apikey/${s.updateKeyIds[0]}`;
  const isUpdated = (b: unknown) => (b as { success?: boolean })?.success === true;
  await checkOnce(
    "REST PUT",
    app.base + keyPath,
    { method: "PUT", headers: auth, body: '{"name":"check rest"}' },
    isUpdated,
  );
  await checkOnce(
    "tRPC updateAiApiKey",
    `${app.base}/api/trpc/updateAiApiKey`,
    {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ repoId: s.updateRepoId, apikeyId: s.updateKeyIds[0], name: "check trpc" }),
    },
    (b) => (b as { result?: { data?: { success?: boolean } } })?.result?.data?.success === true,
  );
  await checkOnce(
    "baseline PUT",
    baseline.base + keyPath,
    { method: "PUT", headers: auth, body: '{"name":"check baseline"}' },
    isUpdated,
  );
  for (const [label, base] of [
    ["REST GET list", app.base],
    ["list floor", baseline.base],
  ] as const) {
    for (const [repoId, count] of [
      [s.listRepoId, listKeyCount],
      [s.smallListRepoId, smallListKeyCount],
    ] as const)
      await checkOnce(
        `${label} (${count} keys)`,
        `${base}/repo/${repoId}/ai/apikey`,
        { headers: auth },
        (b) => (b as { apiKeys?: unknown[] })?.apiKeys?.length === count,
      );
  }
  // The 1,000-key repository changes no more from here on: its ETag stays, and a conditional list gets 304.
  const listEtag = (await fetch(`${app.base}/repo/${s.listRepoId}/ai/apikey`, { headers: auth })).headers.get("etag");
  const floorEtag = (await fetch(`${baseline.base}/repo/${s.listRepoId}/ai/apikey`, { headers: auth })).headers.get(
    "etag",
  );
  if (!listEtag || listEtag !== floorEtag) throw new Error(`the list's ETag: app ${listEtag}, floor ${floorEtag}`);
  const notModified = await fetch(`${app.base}/repo/${s.listRepoId}/ai/apikey`, {
    headers: { ...auth, "if-none-match": listEtag },
  });
  if (notModified.status !== 304 || (await notModified.text()) !== "")
    throw new Error(`a conditional list answered ${notModified.status}, not 304 with no body`);
  log("REST GET list with If-None-Match: 304, no body ✓");

  const isValid = (b: unknown) => (b as { valid?: boolean })?.valid === true;
  const pair = s.verifyPairs[0]!;
  const gatewayAuth = { authorization: `Bearer ${s.gatewayToken}`, "content-type": "application/json" };
  const verifyBody = JSON.stringify({ key: pair.key, secret: pair.secret });
  await checkOnce(
    "REST POST verify",
    `${app.base}/ai/apikey/verify`,
    { method: "POST", headers: gatewayAuth, body: verifyBody },
    isValid,
  );
  await checkOnce(
    "verify floor",
    `${verifyFloor.base}/ai/apikey/verify`,
    { method: "POST", headers: gatewayAuth, body: verifyBody },
    isValid,
  );

  const listOptions =
    (base: string, repoId = s.listRepoId, extra: Record<string, string> = {}) =>
    (): autocannon.Options => ({
      url: base,
      requests: [{ method: "GET", path: `/repo/${repoId}/ai/apikey`, headers: { ...auth, ...extra } }],
    });
  const all: Scenario[] = [
    {
      id: "baseline",
      label: "floor: node:http + pg, prepared, the app's token cache, 1 round trip per rename",
      pid: baseline.proc.pid,
      target: () => ({ url: baseline.base, ...renameRequests("rest", s, "baseline") }),
      renames: true,
    },
    {
      id: "rest",
      label: "REST PUT /repo/{repoId}/ai/apikey/{apikeyId}",
      pid: app.proc.pid,
      target: () => ({ url: app.base, ...renameRequests("rest", s, "rest") }),
      renames: true,
    },
    {
      id: "trpc",
      label: "tRPC POST /api/trpc/updateAiApiKey",
      pid: app.proc.pid,
      target: () => ({ url: app.base, ...renameRequests("trpc", s, "trpc") }),
      renames: true,
    },
    {
      id: "list-floor",
      label: `list floor: PostgreSQL's JSON text written through (${listKeyCount} keys)`,
      pid: baseline.proc.pid,
      target: listOptions(baseline.base),
      renames: false,
    },
    {
      id: "list",
      label: `REST GET /repo/{repoId}/ai/apikey (${listKeyCount} keys)`,
      pid: app.proc.pid,
      target: listOptions(app.base),
      renames: false,
    },
    {
      id: "list20-floor",
      label: `list floor (${smallListKeyCount} keys)`,
      pid: baseline.proc.pid,
      target: listOptions(baseline.base, s.smallListRepoId),
      renames: false,
    },
    {
      id: "list20",
      label: `REST GET /repo/{repoId}/ai/apikey (${smallListKeyCount} keys)`,
      pid: app.proc.pid,
      target: listOptions(app.base, s.smallListRepoId),
      renames: false,
    },
    {
      id: "list-304",
      label: `REST GET /repo/{repoId}/ai/apikey with If-None-Match, unchanged (${listKeyCount} keys): 304`,
      pid: app.proc.pid,
      target: listOptions(app.base, s.listRepoId, { "if-none-match": listEtag }),
      renames: false,
      expects304: true,
    },
    {
      id: "verify-floor",
      label: "verify floor: node:http + pg, prepared, the same caches (the floor of verify)",
      pid: verifyFloor.proc.pid,
      target: () => ({ url: verifyFloor.base, ...verifyRequests(s.verifyPairs, s.gatewayToken) }),
      renames: false,
    },
    {
      id: "verify",
      label: `REST POST /ai/apikey/verify (${verifyKeyCount} keys in turn)`,
      pid: app.proc.pid,
      target: () => ({ url: app.base, ...verifyRequests(s.verifyPairs, s.gatewayToken) }),
      renames: false,
    },
  ];
  if (baselineBare)
    all.push({
      id: "baseline-bare",
      label: "reference only: the old bare floor (unprepared, no token cache, 2 round trips)",
      pid: baselineBare.proc.pid,
      target: () => ({ url: baselineBare.base, ...renameRequests("rest", s, "baseline-bare") }),
      renames: true,
    });
  if (uncached)
    all.push({
      id: "rest-nocache",
      label: "REST PUT with the token cache off (TOKEN_CACHE_TTL_MS=0)",
      pid: uncached.proc.pid,
      target: () => ({ url: uncached.base, ...renameRequests("rest", s, "rest-nocache") }),
      renames: true,
    });
  const scenarios = all.filter((sc) => enabled.has(sc.id));

  log("JIT warm-up: 5 s of each scenario at 16 connections");
  for (const sc of scenarios) await runAutocannon({ ...sc.target(), connections: 16, duration: 5 });

  const runs: Measured[] = [];
  for (let repeat = 1; repeat <= repeats; repeat++) {
    for (const connections of connectionLevels) {
      // Rotate the order each repeat so that drift on a shared machine does not always favour one scenario.
      const order = scenarios.map((_, i) => scenarios[(i + repeat - 1) % scenarios.length]!);
      for (const sc of order) {
        const m = await measure(sc, { connections, durationS, warmupS, repeat, admin: adminClient, benchDb, database });
        runs.push(m);
        log(
          `repeat ${repeat} ${sc.id.padEnd(12)} @${String(connections).padEnd(2)} ${String(m.requestsPerSec).padStart(8)} req/s  p50 ${m.latencyMs.p50} ms  p99 ${m.latencyMs.p99} ms  errors ${m.errors}  server ${m.serverCpuMsPerRequest} ms/req  pg ${m.pgCpuMsPerRequest} ms/req  rss ${m.peakRssMiB} MiB${m.renameCheck ? `  renames ${m.renameCheck.events}/${m.renameCheck.ok2xx}${m.renameCheck.consistent ? "" : " INCONSISTENT"}` : ""}`,
        );
      }
    }
  }

  let mixed: MixedResult | undefined;
  if (enabled.has("mixed") && mixedDurationS > 0) {
    const second = await startApp({ name: "app-b", databaseUrl, masterKeys });
    const pairs = await createVerifyPairs(app.base, s.token, s.verifyRepoId, mixedKeyCount, "mixed");
    log(`mixed: ${mixedDurationS} s of verifications through the app while a second instance renames and deletes`);
    mixed = await runMixed({
      verifyBase: app.base,
      mutateBase: second.base,
      gatewayToken: s.gatewayToken,
      token: s.token,
      repoId: s.verifyRepoId,
      pairs,
      durationS: mixedDurationS,
      boundMs: keyCacheTtlMs,
      verifiers: 8,
      mutateEveryMs: 100,
    });
    log(
      `mixed: ${mixed.verifications} verifications, ${mixed.renames} renames, ${mixed.deletes} deletes, ${mixed.errors} errors; ` +
        `${mixed.staleBeyondBound} answers staler than ${keyCacheTtlMs} ms (largest lag seen ${mixed.maxObservedLagMs} ms)`,
    );
    await stop(second.proc);
  }

  // Round trips, counted: a second app (and baseline) whose database connections go through a counting proxy.
  log(`counting database round trips over ${countRequests} requests at 16 connections`);
  // A profiled server writes its CPU profile on exit, after it has drained: give it the time to. The floors are
  // profiled too, so that the app's profile can be read against the floor's.
  await stop(app.proc, args.profile ? 60_000 : undefined);
  if (args.profile) await Promise.all([stop(baseline.proc, 60_000), stop(verifyFloor.proc, 60_000)]);
  if (uncached) await stop(uncached.proc);
  const pgUrl = new URL(adminUrl);
  const upstream = { host: pgUrl.hostname, port: Number(pgUrl.port || 5432) };
  const roundTrips: RoundTripCount[] = [];
  for (const variant of [
    { ttl: undefined, note: "as deployed: token lookups cached (TOKEN_CACHE_TTL_MS default 5000)" },
    { ttl: 0, note: "token cache off (TOKEN_CACHE_TTL_MS=0): every request looks its token up" },
  ]) {
    const proxy = await startPgProxy(upstream);
    cleanups.push(() => proxy.close());
    const counted = await startApp({
      name: `app-counted-ttl${variant.ttl ?? "default"}`,
      databaseUrl: withDatabase(adminUrl, database, proxy.port),
      masterKeys,
      tokenCacheTtlMs: variant.ttl,
    });
    const suffix = variant.ttl === 0 ? " (cache off)" : "";
    roundTrips.push(
      await countRoundTrips(
        `rest${suffix}`,
        () => ({ url: counted.base, ...renameRequests("rest", s, "rt-rest") }),
        proxy,
        variant.note,
      ),
      await countRoundTrips(
        `trpc${suffix}`,
        () => ({ url: counted.base, ...renameRequests("trpc", s, "rt-trpc") }),
        proxy,
        variant.note,
      ),
    );
    if (variant.ttl === undefined)
      roundTrips.push(
        // The list is slow (1,000 keys a request): fewer requests count it just as well.
        await countRoundTrips("list", listOptions(counted.base), proxy, variant.note, Math.min(countRequests, 400)),
        await countRoundTrips(
          "verify",
          () => ({ url: counted.base, ...verifyRequests(s.verifyPairs, s.gatewayToken) }),
          proxy,
          "key cache (KEY_CACHE_TTL_MS default 5000) and gateway-token cache warm after the first pass",
        ),
      );
    await stop(counted.proc);
    await proxy.close();
  }
  {
    const proxy = await startPgProxy(upstream);
    cleanups.push(() => proxy.close());
    const counted = await startBaseline("baseline-counted", withDatabase(adminUrl, database, proxy.port));
    roundTrips.push(
      await countRoundTrips(
        "baseline",
        () => ({ url: counted.base, ...renameRequests("rest", s, "rt-base") }),
        proxy,
        "prepared, the app's token cache (TOKEN_CACHE_TTL_MS 5000)",
      ),
    );
    await stop(counted.proc);
    await proxy.close();
  }

  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    settings: {
      durationS,
      warmupS,
      repeats,
      connections: connectionLevels,
      countRequests,
      poolMax,
      updateKeyCount,
      listKeyCount,
    },
    machine: {
      cpu: os.cpus()[0]?.model ?? "unknown",
      cores: os.cpus().length,
      memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      kernel: `${os.type()} ${os.release()}`,
      node: process.version,
      postgres: pgVersion,
      postgresSettings: pgSettings,
      loadAverageBefore: loadBefore.map((l) => round(l, 2)),
      loadAverageAfter: os.loadavg().map((l) => round(l, 2)),
    },
    scenarios: scenarios.map((sc) => ({ id: sc.id, label: sc.label })),
    runs,
    roundTrips,
    mixed,
    summary: summarize(runs, connectionLevels, roundTrips, mixed),
  };
  await writeFile(`${outBase}.json`, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(`${outBase}.md`, renderMarkdown(report));
  log(`wrote ${outBase}.md and ${outBase}.json`);
}

main().then(
  () => cleanup().then(() => process.exit(0)),
  (err) => {
    console.error(err);
    return cleanup().then(() => process.exit(1));
  },
);
