// What every scenario of `npm run bench` shares: the command line, the paths, the processes it starts (the
// app, the floors) and their cleanup, the log. Scenarios take what they need from here; run.ts orders them.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { killAllSync, type Started, start, stopAll, waitForHttp } from "./processes";

// `pnpm … bench -- --repeats 1` passes the `--` through: drop it.
const argv = process.argv.slice(2);
if (argv[0] === "--") argv.shift();
export const { values: args } = parseArgs({
  args: argv,
  options: {
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    repeats: { type: "string", default: "3" },
    connections: { type: "string", default: "1,16,64" },
    scenarios: {
      type: "string",
      default:
        "baseline,baseline-version,baseline-webhooks,baseline-counter,rest,trpc,list-floor,list-floor-etag,list,list20-floor,list20,list-304,verify-floor,verify,rename-busy-floor,rename-busy,mixed",
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

export const benchDir = path.resolve(import.meta.dirname, "..");
export const rootDir = path.resolve(benchDir, "..");
const webDir = path.join(rootDir, "apps/web");
export const workDir = path.join(benchDir, "results"); // git-ignored: logs, profiles, raw output
mkdirSync(workDir, { recursive: true });

export const enabled = new Set(args.scenarios.split(","));
export const countRequests = Number(args["count-requests"]);
/** The app's default KEY_CACHE_TTL_MS: the bound the mixed scenario checks. */
export const keyCacheTtlMs = 5_000;
export const poolMax = 10;

let cleanupStarted = false;
export const cleanups: Array<() => Promise<void>> = [];
export async function cleanup() {
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

export function log(message: string) {
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

/** The same server URL naming `database`, and another port when given (the round-trip proxy's). */
export function withDatabase(url: string, database: string, port?: number): string {
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

export interface Server {
  proc: Started;
  base: string;
}

export interface AppOptions {
  name: string;
  databaseUrl: string;
  masterKeys: string;
  tokenCacheTtlMs?: number;
  profile?: boolean;
}

export async function startApp(o: AppOptions): Promise<Server> {
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

/** A floor: one of the bench's own servers (`script` under bench/), answering `/` once it listens. */
export async function startFloor(
  name: string,
  script: string,
  env: Record<string, string>,
  profile = false,
): Promise<Server> {
  const port = await freePort();
  const proc = start(name, process.execPath, [...profiled(name, profile), script], {
    cwd: benchDir,
    env: { ...process.env, ...env, PORT: String(port), DATABASE_POOL_MAX: String(poolMax) },
    logFile: path.join(workDir, `${name}.log`),
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/`, proc);
  return { proc, base };
}

/** The floor of renames, lists and (beside them) verifications (src/baseline-server.ts); `bare`: the old bare floor, a reference. */
export function startBaseline(
  name: string,
  databaseUrl: string,
  { bare = false, profile = false, masterKeys = "" } = {},
): Promise<Server> {
  return startFloor(
    name,
    "src/baseline-server.ts",
    // The app's default token cache TTL, so the floor's cache is the app's.
    {
      DATABASE_URL: databaseUrl,
      BASELINE_BARE: bare ? "1" : "0",
      TOKEN_CACHE_TTL_MS: "5000",
      MASTER_KEYS: masterKeys,
      KEY_CACHE_TTL_MS: String(keyCacheTtlMs),
    },
    profile,
  );
}

export async function parallel<T>(count: number, width: number, work: (i: number) => Promise<T>): Promise<T[]> {
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

/** One request, checked by hand before any load: it must answer 200 and `expect` its body. */
export async function checkOnce(label: string, url: string, init: RequestInit, expect: (body: unknown) => boolean) {
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
