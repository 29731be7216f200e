import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import pg from "pg";
import { killAllSync, runToCompletion, type Started, start, stopAll, waitForHttp } from "./processes";

/** bench/, where each script writes its results file, and bench/results/, where the servers' logs go. */
export const benchDir = path.resolve(import.meta.dirname, "..");
export const workDir = path.join(benchDir, "results");

const pgUrlOption = {
  "pg-url": { type: "string", default: process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" },
} as const;

/** The script's options (after pnpm's `--`), with `--pg-url`: a maintenance database on the bench's PostgreSQL. */
export function benchArgs<const T extends NonNullable<ParseArgsConfig["options"]>>(options: T) {
  const argv = process.argv.slice(2);
  if (argv[0] === "--") argv.shift();
  mkdirSync(workDir, { recursive: true });
  return parseArgs<{ args: string[]; options: T & typeof pgUrlOption; strict: true }>({
    args: argv,
    options: { ...options, ...pgUrlOption },
    strict: true,
  }).values;
}

/** packages/api, where the admin command line runs. */
export const apiDir = path.resolve(import.meta.dirname, "../../packages/api");

/**
 * What every standalone bench script (one that starts its own database and API, not run.ts) needs around its
 * run: a timestamped log, and cleanups that run once whether it ends, fails or is interrupted, after every
 * process it started is stopped.
 */
export function standaloneBench(name: string) {
  const log = (message: string) => console.log(`[${name} ${new Date().toISOString().slice(11, 19)}] ${message}`);
  const cleanups: Array<() => Promise<void>> = [];
  async function cleanup() {
    await stopAll();
    for (const fn of cleanups.reverse()) await fn().catch((err) => console.error("cleanup:", err));
  }
  process.on("exit", killAllSync);
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => cleanup().finally(() => process.exit(130)));
  /** A new database `<prefix>_<random>` on the server of `adminUrl` (a maintenance database), dropped at the end unless `keep`. */
  async function freshDatabase(adminUrl: string, prefix: string, keep = false) {
    const database = `${prefix}_${randomBytes(4).toString("hex")}`;
    const adminClient = new pg.Client({ connectionString: adminUrl });
    await adminClient.connect();
    cleanups.push(() => adminClient.end());
    await adminClient.query(`CREATE DATABASE ${database}`);
    if (!keep) cleanups.push(async () => void (await adminClient.query(`DROP DATABASE ${database} WITH (FORCE)`)));
    return { database, databaseUrl: withDatabase(adminUrl, database), adminClient };
  }
  /** Runs `main`, cleans up, and exits 0 if it met its target, 1 if it missed it or failed. */
  function exitWith(main: () => Promise<boolean>) {
    main()
      .then(async (met) => {
        await cleanup();
        process.exit(met ? 0 : 1);
      })
      .catch(async (err) => {
        console.error(err);
        await cleanup();
        process.exit(1);
      });
  }
  return { log, cleanups, cleanup, freshDatabase, exitWith };
}

/** The same server URL, naming another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs the admin command line against `env`'s database; its standard output, trimmed. */
export async function admin(env: Record<string, string>, ...command: string[]): Promise<string> {
  const out = await runToCompletion(process.execPath, ["--import", "tsx", "src/cli/admin.ts", ...command], {
    cwd: apiDir,
    env: { ...process.env, ...env, LOG_LEVEL: "warn" },
  });
  return out.trim();
}

/**
 * The API alone (src/api-server.ts) on a random port, as in production, on `env`'s database: pool of 10, the
 * REST limit out of reach (the limiter still runs on every call, as in the main bench), no Redis. Its log goes
 * to bench/results/<name>.log.
 */
export async function startStandaloneApi(
  name: string,
  env: Record<string, string>,
): Promise<{ server: Started; base: string }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const server = start(name, process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "api-server.ts")], {
    cwd: benchDir,
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      NODE_ENV: "production",
      DATABASE_POOL_MAX: "10",
      RATE_LIMIT_REST_PER_MINUTE: "1000000000",
      REDIS_URL: "",
    },
    logFile: path.join(workDir, `${name}.log`),
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/openapi.json`, server);
  return { server, base };
}
