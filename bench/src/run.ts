// `pnpm --filter @repokeys/bench bench [-- options]`: builds the web app for production, starts it on a fresh
// database of the local PostgreSQL next to the baseline server (the floor), seeds its own data, runs every
// scenario at 1, 16 and 64 connections, counts database round trips through a proxy, and writes
// bench/results.md and bench/results.json. Everything it starts is stopped, on failure too.
// Each scenario (with its floor) is a file under src/scenarios/; this file only orders them.
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { formatMasterKey } from "@repokeys/crypto";
import pg from "pg";
import {
  args,
  benchDir,
  cleanup,
  cleanups,
  countRequests,
  enabled,
  keyCacheTtlMs,
  log,
  poolMax,
  rootDir,
  type Server,
  startApp,
  startBaseline,
  startFloor,
  withDatabase,
} from "./harness";
import { type Measured, measure, round, runAutocannon, type Scenario } from "./load";
import { runToCompletion, stop } from "./processes";
import { type BenchReport, summarize } from "./report";
import { renderMarkdown } from "./report-markdown";
import { countAllRoundTrips } from "./round-trips";
import { conditionalListScenarios } from "./scenarios/conditional-list";
import { listScenarios } from "./scenarios/list";
import { mixedScenario } from "./scenarios/mixed";
import { renameScenarios } from "./scenarios/rename";
import { renameBusyScenarios } from "./scenarios/rename-busy";
import { renameReferenceScenarios } from "./scenarios/rename-references";
import type { BenchContext, ScenarioFile } from "./scenarios/scenario";
import { verifyScenarios } from "./scenarios/verify";
import { listKeyCount, seed, updateKeyCount, verifyKeyCount } from "./seed";

/** The scenario files, in the order their checks run and their scenarios rotate. */
const scenarioFiles: ScenarioFile[] = [
  renameScenarios,
  listScenarios,
  conditionalListScenarios,
  verifyScenarios,
  renameBusyScenarios,
  renameReferenceScenarios,
];

const outBase = args.out ? path.resolve(args.out) : path.join(benchDir, "results");
const durationS = Number(args.duration);
const warmupS = Number(args.warmup);
const repeats = Number(args.repeats);
const connectionLevels = args.connections.split(",").map(Number);

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

  const app = await startApp({ name: "app", databaseUrl, masterKeys, profile: args.profile });
  log(`app (production build, pid ${app.proc.pid}) at ${app.base}; it migrated the database`);
  const benchDb = new pg.Client({ connectionString: databaseUrl });
  await benchDb.connect();
  cleanups.push(() => benchDb.end());

  log(
    `seeding: a user, a workspace, three repositories, a token, a gateway token, ${updateKeyCount} + ${listKeyCount} + ${verifyKeyCount} keys`,
  );
  const s = await seed(app.base, { DATABASE_URL: databaseUrl, MASTER_KEYS: masterKeys });
  const baseline = await startBaseline("baseline", databaseUrl, { profile: args.profile, masterKeys });
  log(`baseline server (pid ${baseline.proc.pid}) at ${baseline.base}`);

  let verifyFloorStarted: Promise<Server> | undefined;
  const ctx: BenchContext = {
    app,
    baseline,
    seed: s,
    databaseUrl,
    masterKeys,
    auth: { authorization: `Bearer ${s.token}`, "content-type": "application/json" },
    profiled: args.profile ? [baseline] : [],
    verifyFloor: () => {
      verifyFloorStarted ??= startFloor(
        "verify-floor",
        "src/scenarios/verify-floor-server.ts",
        { DATABASE_URL: databaseUrl, MASTER_KEYS: masterKeys, KEY_CACHE_TTL_MS: String(keyCacheTtlMs) },
        args.profile,
      ).then((floor) => {
        if (args.profile) ctx.profiled.push(floor);
        log(`verify floor server (pid ${floor.proc.pid}) at ${floor.base}`);
        return floor;
      });
      return verifyFloorStarted;
    },
  };
  const all: Scenario[] = [];
  for (const file of scenarioFiles) all.push(...(await file(ctx)));
  const scenarios = all.filter((sc) => enabled.has(sc.id));

  log("JIT warm-up: 5 s of each scenario at 16 connections");
  for (const sc of scenarios) await runAutocannon({ ...sc.target(), connections: 16, duration: 5 });

  const runs: Measured[] = [];
  for (let repeat = 1; repeat <= repeats; repeat++) {
    for (const connections of connectionLevels) {
      // Rotate the order each repeat so that drift on a shared machine does not always favour one scenario.
      const order = scenarios.map((_, i) => scenarios[(i + repeat - 1) % scenarios.length]!);
      for (const sc of order) {
        if (sc.onlyAt && !sc.onlyAt.includes(connections)) continue;
        const m = await measure(sc, { connections, durationS, warmupS, repeat, admin: adminClient, benchDb, database });
        runs.push(m);
        log(
          `repeat ${repeat} ${sc.id.padEnd(12)} @${String(connections).padEnd(2)} ${String(m.requestsPerSec).padStart(8)} req/s  p50 ${m.latencyMs.p50} ms  p99 ${m.latencyMs.p99} ms  errors ${m.errors}  server ${m.serverCpuMsPerRequest} ms/req  pg ${m.pgCpuMsPerRequest} ms/req  rss ${m.peakRssMiB} MiB${m.alongside ? `  alongside ${m.alongside.requestsPerSec} req/s p99 ${m.alongside.p99Ms} ms errors ${m.alongside.errors}` : ""}${m.renameCheck ? `  renames ${m.renameCheck.events}/${m.renameCheck.ok2xx}${m.renameCheck.consistent ? "" : " INCONSISTENT"}` : ""}`,
        );
      }
    }
  }

  const mixed = await mixedScenario(ctx);

  // A profiled server writes its CPU profile on exit, after it has drained: give it the time to. The floors are
  // profiled too, so that the app's profile can be read against the floor's.
  await stop(app.proc, args.profile ? 60_000 : undefined);
  await Promise.all(ctx.profiled.map((floor) => stop(floor.proc, 60_000)));
  const roundTrips = await countAllRoundTrips(ctx, adminUrl, database);

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
