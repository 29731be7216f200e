// The load: autocannon, one scenario at a time, with CPU and memory read from /proc around the measured window.
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import type pg from "pg";
import { cpuMs, watchPeakRss } from "./processes";

const settleMs = 500;

export interface Scenario {
  id: string;
  label: string;
  /** The server process under test (CPU and RSS are read from it). */
  pid: number;
  /** autocannon options for one request stream: url plus requests/method/body. */
  target: () => autocannon.Options;
  /** An update scenario: every 2xx must have written one "updated" event. */
  renames: boolean;
  /** A conditional scenario: every answer must be 304 (else every answer must be 2xx). */
  expects304?: boolean;
  /** Measured only at these connection counts (default: every level of the run). */
  onlyAt?: number[];
  /** A second load run at the same time over the warm-up and the window (its figures in `alongside`). */
  alongside?: { label: string; connections: number; target: () => autocannon.Options };
}

export interface Measured {
  scenario: string;
  connections: number;
  repeat: number;
  durationS: number;
  requests: number;
  requestsPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  errors: number;
  non2xx: number;
  timeouts: number;
  serverCpuMsPerRequest: number;
  pgCpuMsPerRequest: number | null;
  peakRssMiB: number;
  /** Update scenarios: events written during warm-up + run, and the 2xx answers they must match. */
  renameCheck?: { events: number; ok2xx: number; consistent: boolean };
  /** The load run alongside, over the same measured window. */
  alongside?: { requestsPerSec: number; p50Ms: number; p99Ms: number; errors: number };
}

/** Answers of the wrong status: anything but 304 for a conditional scenario, anything but 2xx otherwise. */
function unexpected(scenario: Scenario, result: autocannon.Result): number {
  return scenario.expects304 ? result["1xx"] + result["2xx"] + result["4xx"] + result["5xx"] : result.non2xx;
}

export function runAutocannon(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ ...options, ...({ renderStatusCodes: false } as object) }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
    // No progress bar: this runs unattended and its output is the results file.
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  });
}

/** CPU ms of the PostgreSQL backends serving `database`, by backend pid. */
async function backendCpu(admin: pg.Client, database: string): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1", [
    database,
  ]);
  const byPid = new Map<number, number>();
  for (const { pid } of rows) {
    const ms = cpuMs(pid);
    if (ms !== undefined) byPid.set(pid, ms);
  }
  return byPid;
}

async function updatedEvents(benchDb: pg.Client): Promise<number> {
  const { rows } = await benchDb.query<{ n: string }>(
    `SELECT count(*) AS n FROM "SystemEvent" WHERE event = 'updated'`,
  );
  return Number(rows[0]!.n);
}

export async function measure(
  scenario: Scenario,
  opts: {
    connections: number;
    durationS: number;
    warmupS: number;
    repeat: number;
    admin: pg.Client;
    benchDb: pg.Client;
    database: string;
  },
): Promise<Measured> {
  // Requests of the previous window still being answered must not land in this one.
  await sleep(settleMs);
  // Each window starts without the dead row versions the one before left: baseline-counter leaves tens of
  // thousands of the one repository row, and the next window (always REST's, as the rotation keeps the cyclic
  // order) read through them: PostgreSQL 0.39 against 0.29 ms per rename in the run of 2026-12-04 02:13.
  await opts.benchDb.query('VACUUM "Repo", "RepoAiApiKey"');
  const eventsBefore = scenario.renames ? await updatedEvents(opts.benchDb) : 0;
  let ok2xx = 0;
  const side = scenario.alongside;
  const alongside = (durationS: number) =>
    side ? runAutocannon({ ...side.target(), connections: side.connections, duration: durationS }) : undefined;
  if (opts.warmupS > 0) {
    const warmSide = alongside(opts.warmupS);
    const warm = await runAutocannon({
      ...scenario.target(),
      connections: opts.connections,
      duration: opts.warmupS,
    });
    await warmSide;
    ok2xx += warm["2xx"];
    if (warm.errors || warm.timeouts || unexpected(scenario, warm))
      console.warn(`  warm-up of ${scenario.id}@${opts.connections}: ${warm.non2xx} non-2xx, ${warm.errors} errors`);
  }
  const pgBefore = await backendCpu(opts.admin, opts.database);
  const cpuBefore = cpuMs(scenario.pid) ?? 0;
  const rss = watchPeakRss(scenario.pid);
  const sideRun = alongside(opts.durationS);
  const result = await runAutocannon({ ...scenario.target(), connections: opts.connections, duration: opts.durationS });
  const sideResult = await sideRun;
  const cpuAfter = cpuMs(scenario.pid) ?? 0;
  const peakRssMiB = rss.stop();
  const pgAfter = await backendCpu(opts.admin, opts.database);
  ok2xx += result["2xx"];

  let pgCpu = 0;
  for (const [pid, ms] of pgAfter) pgCpu += ms - (pgBefore.get(pid) ?? 0);
  const requests = result.requests.total;
  const measured: Measured = {
    scenario: scenario.id,
    connections: opts.connections,
    repeat: opts.repeat,
    durationS: result.duration,
    requests,
    requestsPerSec: round(requests / result.duration, 1),
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
    errors: result.errors + result.timeouts + unexpected(scenario, result),
    non2xx: result.non2xx,
    timeouts: result.timeouts,
    serverCpuMsPerRequest: requests ? round((cpuAfter - cpuBefore) / requests, 3) : 0,
    pgCpuMsPerRequest: requests ? round(pgCpu / requests, 3) : null,
    peakRssMiB,
  };
  if (sideResult)
    measured.alongside = {
      requestsPerSec: round(sideResult.requests.total / sideResult.duration, 1),
      p50Ms: sideResult.latency.p50,
      p99Ms: sideResult.latency.p99,
      errors: sideResult.errors + sideResult.timeouts + sideResult.non2xx,
    };
  if (scenario.renames) {
    // Responses still in flight when autocannon stops are answered but not counted: allow one per connection
    // for each of the two windows.
    await sleep(settleMs);
    const events = (await updatedEvents(opts.benchDb)) - eventsBefore;
    measured.renameCheck = {
      events,
      ok2xx,
      consistent: events >= ok2xx && events - ok2xx <= 2 * opts.connections,
    };
  }
  return measured;
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
