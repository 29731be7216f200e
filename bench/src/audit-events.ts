import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatMasterKey } from "@repokeys/crypto";
import pg from "pg";
import { round, runAutocannon } from "./load";
import { backendPids, cpuReading } from "./process-cpu";
import { start, waitForHttp } from "./processes";
import { admin, benchArgs, benchDir, standaloneBench, startStandaloneApi, workDir } from "./standalone-bench";

const args = benchArgs({
  events: { type: "string", default: "1000000" },
  connections: { type: "string", default: "16" },
  duration: { type: "string", default: "15" },
  warmup: { type: "string", default: "3" },
  "keep-db": { type: "boolean", default: false },
});
const eventCount = Number(args.events);
const connections = Number(args.connections);
/** The target: a filtered page's p99 at 16 connections. */
const targetP99Ms = 50;

const { log, cleanups, cleanup, freshDatabase } = standaloneBench("audit-bench");

/** The events, in batches so that progress shows; ids and timestamps rise together, 30 ms apart. */
async function seedEvents(db: pg.Client, userId: string, workspaceId: string, repoId: string) {
  const batch = 100_000;
  for (let from = 1; from <= eventCount; from += batch) {
    const to = Math.min(eventCount, from + batch - 1);
    await db.query(
      `INSERT INTO "SystemEvent" (timestamp, context, "contextId", event, "userId", "workspaceId", "repoId", via, "jsonData")
       SELECT now() - (($1::int - n) * interval '30 ms'), 'aillmapikey', key, (ARRAY['created','updated','deleted'])[1 + n % 3],
              $3, ws, repo, CASE WHEN n % 7 = 0 THEN 'web' ELSE 'rest' END,
              jsonb_build_object('repoId', repo, 'apikeyId', key, 'before', jsonb_build_object('name', 'key name ' || n),
                                 'after', jsonb_build_object('name', 'key name ' || (n + 1)),
                                 'via', CASE WHEN n % 7 = 0 THEN 'web' ELSE 'rest' END)
       FROM generate_series($2::int, $6::int) n,
            LATERAL (SELECT CASE WHEN n % 5 = 0 THEN $4 ELSE 'ws-' || (n % 97) END AS ws,
                            CASE WHEN n % 5 = 0 THEN $5 ELSE 'repo-' || (n % 997) END AS repo,
                            'key-' || (n % 5000) AS key) v`,
      [eventCount, from, userId, workspaceId, repoId, to],
    );
    log(`  ${to.toLocaleString("en")} events`);
  }
  await db.query(`VACUUM ANALYZE "SystemEvent"`);
}

async function main() {
  const { database, databaseUrl } = await freshDatabase(args["pg-url"], "repokeys_audit_bench", args["keep-db"]);
  const env = { DATABASE_URL: databaseUrl, MASTER_KEYS: formatMasterKey(1) };
  log(
    `database ${database}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} on ${os.cpus().length} cores`,
  );

  // The admin command migrates the database on its first run.
  const email = "audit-bench@example.test";
  const user = JSON.parse(await admin(env, "user", "create", "--email", email, "--name", "Audit Bench"));
  const workspace = JSON.parse(await admin(env, "workspace", "create", "--name", "Audited", "--owner", email));
  const repo = JSON.parse(await admin(env, "repo", "create", "--workspace", workspace.id, "--name", "busy"));
  const token = await admin(env, "token", "create", "--email", email, "--name", "audit bench");
  // Another tenant: a workspace of their own with no events in it.
  const strangerEmail = "audit-stranger@example.test";
  const stranger = JSON.parse(await admin(env, "user", "create", "--email", strangerEmail, "--name", "Stranger"));
  await admin(env, "workspace", "create", "--name", "Quiet", "--owner", strangerEmail);
  const strangerToken = await admin(env, "token", "create", "--email", strangerEmail, "--name", "audit bench");

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  cleanups.push(() => db.end());
  log(`seeding ${eventCount.toLocaleString("en")} events`);
  const seedStarted = Date.now();
  await seedEvents(db, user.id, workspace.id, repo.id);
  log(`seeded in ${((Date.now() - seedStarted) / 1000).toFixed(0)} s`);

  const { server, base } = await startStandaloneApi("audit-api", env);
  // The floor of each page (src/scenarios/audit-floor.ts), measured after the app's run of the same page.
  const floorPort = Number(new URL(base).port) + 1;
  const floorProc = start(
    "audit-floor",
    process.execPath,
    ["--import", "tsx", path.join(import.meta.dirname, "baseline-server.ts")],
    {
      cwd: benchDir,
      // The app's pool size and token cache TTL, so that the floor's are the app's.
      env: { ...process.env, ...env, PORT: String(floorPort), DATABASE_POOL_MAX: "10", TOKEN_CACHE_TTL_MS: "5000" },
      logFile: path.join(workDir, "audit-floor.log"),
    },
  );
  const floor = { proc: floorProc, base: `http://127.0.0.1:${floorPort}` };
  await waitForHttp(`${floor.base}/`, floorProc);

  const scenarios: {
    id: string;
    label: string;
    body: Record<string, unknown>;
    token?: string;
    returns?: number | "any";
  }[] = [
    {
      id: "repo-page",
      label: "one repository's newest 50 (200,000 match; count capped)",
      body: { repoId: repo.id, take: 50 },
    },
    {
      id: "stranger-all",
      label: "a caller with no events, no filter (their own workspace and personal events)",
      body: {},
      token: strangerToken,
      returns: 1,
    },
    {
      id: "stranger-other-ids",
      label: "a caller naming another workspace's repository and workspace ids",
      body: { workspaceId: workspace.id, repoId: repo.id },
      token: strangerToken,
      returns: 0,
    },
    {
      id: "via-typed",
      label: "via: typed (1 event: the bench token's creation)",
      body: { via: "typed" },
      returns: 1,
    },
    {
      id: "via-web-deep",
      label: "via: web (~29,000 match), skip 1,000, take 500",
      body: { via: "web", skip: 1_000, take: 500 },
      // 500 at 1,000,000 events; fewer on a short trial run
      returns: "any",
    },
    {
      id: "context-few",
      label: "context: workspaceuser (none: the admin command line does not audit workspace creation)",
      body: { context: "workspaceuser" },
      returns: 0,
    },
    {
      id: "repo-user-none",
      label: "one repository and a person with no events in it",
      body: { repoId: repo.id, userId: stranger.id },
      returns: 0,
    },
    {
      id: "repo-event-page",
      label: "one repository's 'updated' events, newest 50 (~67,000 match)",
      body: { repoId: repo.id, event: "updated", take: 50 },
    },
    {
      id: "repo-deep-page",
      label: "one repository, skip 1,000 (the deepest allowed), take 50",
      body: { repoId: repo.id, skip: 1_000, take: 50 },
    },
  ];
  const results = [];
  for (const scenario of scenarios) {
    const headers = { authorization: `Bearer ${scenario.token ?? token}`, "content-type": "application/json" };
    const body = JSON.stringify(scenario.body);
    const answer = async (at: string) => {
      const res = await fetch(`${at}/systemevent`, { method: "POST", headers, body });
      return { status: res.status, text: await res.text() };
    };
    const check = await answer(base);
    const page = JSON.parse(check.text) as { events: unknown[]; total: number };
    if (check.status !== 200 || (scenario.returns !== "any" && page.events.length !== (scenario.returns ?? 50)))
      throw new Error(`${scenario.id}: ${check.status}, ${page.events?.length} events`);
    // The floor must answer what the app answers, byte for byte, or it measures other work.
    const floorCheck = await answer(floor.base);
    if (floorCheck.text !== check.text) throw new Error(`${scenario.id}: the floor's answer differs from the app's`);
    const measure = async (at: string, pid: number) => {
      const target = { url: `${at}/systemevent`, method: "POST" as const, headers, body, connections };
      await runAutocannon({ ...target, duration: Number(args.warmup) });
      // The pools' connections are open after the warm-up; CPU is read over the measured run only.
      const backends = await backendPids(db, database);
      const serverCpu = await cpuReading([pid]);
      const dbCpu = await cpuReading(backends);
      const r = await runAutocannon({ ...target, duration: Number(args.duration) });
      const serverCpuMs = await serverCpu.spentMs();
      const dbCpuMs = await dbCpu.spentMs();
      return {
        requestsPerSec: Math.round(r.requests.average),
        p50Ms: r.latency.p50,
        p99Ms: r.latency.p99,
        maxMs: r.latency.max,
        serverCpuMsPerRequest: round(serverCpuMs / r.requests.total, 2),
        dbCpuMsPerRequest: round(dbCpuMs / r.requests.total, 2),
        non2xx: r.non2xx,
        errors: r.errors,
      };
    };
    const app = await measure(base, server.pid);
    const floorRun = await measure(floor.base, floor.proc.pid);
    const result = {
      scenario: scenario.id,
      label: scenario.label,
      total: page.total,
      connections,
      ...app,
      floor: floorRun,
      ofFloor: round(app.requestsPerSec / floorRun.requestsPerSec, 2),
    };
    results.push(result);
    log(JSON.stringify(result));
  }
  const worst = results.reduce((a, b) => (b.p99Ms > a.p99Ms ? b : a));
  const out = path.join(benchDir, "results-audit-events.json");
  const loadAverage = os.loadavg().map((l) => Number(l.toFixed(2)));
  const measuredAt = new Date().toISOString();
  writeFileSync(
    out,
    `${JSON.stringify({ measuredAt, events: Number(args.events), targetP99Ms, loadAverage, results }, null, 2)}\n`,
  );
  log(`wrote ${path.relative(process.cwd(), out)}`);
  log(
    `worst p99 ${worst.p99Ms} ms (${worst.scenario}) at ${connections} connections: ${worst.p99Ms < targetP99Ms ? "within" : "OVER"} the ${targetP99Ms} ms target` +
      ` (load average now ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")})`,
  );
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(cleanup);
