// Medians over repeats, ratios to the baseline measured in the same repeat, the targets, and the Markdown table.
import { type Measured, round } from "./load";
import type { MixedResult } from "./scenarios/mixed-load";

export interface RoundTripCount {
  target: string;
  note: string;
  requests: number;
  errors: number;
  roundTrips: number;
  syncs: number;
  simpleQueries: number;
  perRequest: number;
}

export interface SummaryRow {
  scenario: string;
  connections: number;
  repeats: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  serverCpuMsPerRequest: number;
  pgCpuMsPerRequest: number | null;
  peakRssMiB: number;
  /** median over repeats of (this scenario's req/s ÷ its floor's req/s in the same repeat) */
  throughputRatioToBaseline: number | null;
  /** median over repeats of (p99 ÷ the baseline's p99 in the same repeat) */
  p99RatioToBaseline: number | null;
  renamesConsistent: boolean | null;
  /** The load run alongside (medians over repeats), for scenarios that have one. */
  alongside: { requestsPerSec: number; p99Ms: number; errors: number } | null;
}

export interface Target {
  target: string;
  /** The app's figure and its floor's (medians over repeats), side by side; "–" where there is none. */
  app?: string;
  floor?: string;
  measured: string;
  met: boolean;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  settings: Record<string, unknown>;
  machine: Record<string, unknown>;
  scenarios: { id: string; label: string }[];
  runs: Measured[];
  roundTrips: RoundTripCount[];
  /** The mixed scenario: verifications on one instance while another renames and deletes. */
  mixed?: MixedResult;
  summary: { rows: SummaryRow[]; targets: Target[] };
}

/**
 * Each scenario is compared with the strongest floor of the same work, measured in the same repeat: renames
 * (and the old bare floor, a reference) with `baseline`; each list with the list floor of its size; the 304
 * with the 1,000-key list floor (what it saves); verification with its own floor.
 */
const floors: Record<string, string> = {
  baseline: "baseline",
  "baseline-version": "baseline",
  "baseline-webhooks": "baseline",
  "baseline-counter": "baseline",
  "baseline-bare": "baseline",
  rest: "baseline",
  "rest-nocache": "baseline",
  trpc: "baseline",
  list: "list-floor",
  "list-floor": "list-floor",
  "list-floor-etag": "list-floor",
  "list-304": "list-floor",
  list20: "list20-floor",
  "list20-floor": "list20-floor",
  verify: "verify-floor",
  "verify-floor": "verify-floor",
  "rename-busy": "rename-busy-floor",
  "rename-busy-floor": "rename-busy-floor",
};
const floorOf = (scenario: string): string | undefined => floors[scenario];

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function alongsideMedians(group: Measured[]): SummaryRow["alongside"] {
  const side = group.map((r) => r.alongside).filter((a) => a !== undefined);
  if (!side.length) return null;
  return {
    requestsPerSec: round(median(side.map((a) => a.requestsPerSec)), 0),
    p99Ms: median(side.map((a) => a.p99Ms)),
    errors: side.reduce((sum, a) => sum + a.errors, 0),
  };
}

export function summarize(
  runs: Measured[],
  connectionLevels: number[],
  roundTrips: RoundTripCount[],
  mixed?: MixedResult,
): { rows: SummaryRow[]; targets: Target[] } {
  const scenarioIds = [...new Set(runs.map((r) => r.scenario))];
  const floorRun = (scenario: string, connections: number, repeat: number) =>
    runs.find((r) => r.scenario === floorOf(scenario) && r.connections === connections && r.repeat === repeat);
  const rows: SummaryRow[] = [];
  for (const scenario of scenarioIds) {
    for (const connections of connectionLevels) {
      const group = runs.filter((r) => r.scenario === scenario && r.connections === connections);
      if (!group.length) continue;
      const ratios: number[] = [];
      const p99Ratios: number[] = [];
      for (const r of group) {
        const b = floorRun(scenario, connections, r.repeat);
        if (!b) continue;
        ratios.push(r.requestsPerSec / b.requestsPerSec);
        if (b.latencyMs.p99 > 0) p99Ratios.push(r.latencyMs.p99 / b.latencyMs.p99);
      }
      const pg = group.map((r) => r.pgCpuMsPerRequest).filter((v): v is number => v !== null);
      const checks = group.map((r) => r.renameCheck).filter((c) => c !== undefined);
      rows.push({
        scenario,
        connections,
        repeats: group.length,
        requestsPerSec: round(median(group.map((r) => r.requestsPerSec)), 0),
        p50Ms: median(group.map((r) => r.latencyMs.p50)),
        p99Ms: median(group.map((r) => r.latencyMs.p99)),
        errors: group.reduce((sum, r) => sum + r.errors, 0),
        serverCpuMsPerRequest: round(median(group.map((r) => r.serverCpuMsPerRequest)), 3),
        pgCpuMsPerRequest: pg.length ? round(median(pg), 3) : null,
        peakRssMiB: Math.max(...group.map((r) => r.peakRssMiB)),
        throughputRatioToBaseline: ratios.length ? round(median(ratios), 2) : null,
        p99RatioToBaseline: p99Ratios.length ? round(median(p99Ratios), 2) : null,
        renamesConsistent: checks.length ? checks.every((c) => c.consistent) : null,
        alongside: alongsideMedians(group),
      });
    }
  }

  const row = (scenario: string, connections: number) =>
    rows.find((r) => r.scenario === scenario && r.connections === connections);
  const targets: Target[] = [];
  const perSec = (r: SummaryRow | undefined) => (r ? `${r.requestsPerSec} req/s, p99 ${r.p99Ms} ms` : "–");
  /** A ratio against its floor (median over repeats of the same-repeat ratio), checked as a target. */
  const ratioTarget = (scenario: string, c: number, label: string, atLeast: number) => {
    const r = row(scenario, c);
    if (r?.throughputRatioToBaseline == null) return;
    targets.push({
      target: `${label} ≥ ${atLeast} × its floor @${c}`,
      app: perSec(r),
      floor: perSec(row(floorOf(scenario) ?? "", c)),
      measured: String(r.throughputRatioToBaseline),
      met: r.throughputRatioToBaseline >= atLeast,
    });
  };
  for (const c of [16, 64]) {
    ratioTarget("rest", c, "REST rename throughput", 0.85);
    const r = row("rest", c);
    if (r?.p99RatioToBaseline != null)
      targets.push({
        target: `REST rename p99 ≤ 1.5 × the floor's @${c}`,
        app: `${r.p99Ms} ms`,
        floor: `${row("baseline", c)?.p99Ms} ms`,
        measured: String(r.p99RatioToBaseline),
        met: r.p99RatioToBaseline <= 1.5,
      });
    // tRPC against REST: both ratios are to the same floor in the same repeats, so their quotient compares them.
    const trpc = row("trpc", c);
    if (trpc?.throughputRatioToBaseline != null && r?.throughputRatioToBaseline)
      targets.push({
        target: `tRPC rename throughput ≥ 0.85 × REST rename @${c}`,
        app: perSec(trpc),
        floor: `REST ${perSec(r)}`,
        measured: String(round(trpc.throughputRatioToBaseline / r.throughputRatioToBaseline, 2)),
        met: trpc.throughputRatioToBaseline / r.throughputRatioToBaseline >= 0.85,
      });
    ratioTarget("list", c, "REST list (1,000 keys) throughput", 0.85);
    ratioTarget("list20", c, "REST list (20 keys) throughput", 0.8);
    ratioTarget(
      "list-304",
      c,
      "REST conditional list, unchanged 1,000 keys (304), against the 1,000-key list floor",
      5,
    );
    ratioTarget("verify", c, "verify throughput", 0.6);
  }
  for (const c of [64]) {
    ratioTarget("rename-busy", c, "REST rename while verifications stamp lastUsedAt in the same repository", 0.85);
    const busy = row("rename-busy", c);
    if (busy?.p99RatioToBaseline != null)
      targets.push({
        target: `REST rename p99 while verifications stamp ≤ 1.5 × the floor's @${c}`,
        app: `${busy.p99Ms} ms`,
        floor: `${row("rename-busy-floor", c)?.p99Ms} ms`,
        measured: String(busy.p99RatioToBaseline),
        met: busy.p99RatioToBaseline <= 1.5,
      });
  }
  for (const rt of roundTrips.filter((x) => x.target === "rest" || x.target === "trpc" || x.target === "baseline"))
    targets.push({
      target: `1 database round trip per rename, token cache warm (${rt.target})`,
      measured: `${rt.perRequest} (${rt.roundTrips} / ${rt.requests}, counted)`,
      // A token lookup every TOKEN_CACHE_TTL_MS and a lastUsedAt stamp a minute add a little over 1.
      met: rt.perRequest <= 1.05,
    });
  const v1 = row("verify", 1);
  if (v1) targets.push({ target: "verify p50 < 1 ms @1", measured: `${v1.p50Ms} ms`, met: v1.p50Ms < 1 });
  if (mixed)
    targets.push({
      target: `mixed: no verification answer staler than KEY_CACHE_TTL_MS (${mixed.boundMs} ms)`,
      measured:
        `${mixed.staleBeyondBound} of ${mixed.verifications} (largest lag seen ${mixed.maxObservedLagMs} ms; ` +
        `${mixed.renames} renames, ${mixed.deletes} deletes, ${mixed.errors} errors)`,
      met: mixed.staleBeyondBound === 0 && mixed.errors === 0,
    });
  const errorTotal =
    rows.reduce((sum, r) => sum + r.errors + (r.alongside?.errors ?? 0), 0) +
    roundTrips.reduce((s, r) => s + r.errors, 0);
  targets.push({ target: "zero errors in every scenario", measured: `${errorTotal} errors`, met: errorTotal === 0 });
  const inconsistent = rows.filter((r) => r.renamesConsistent === false).length;
  targets.push({
    target: "every update request a real rename (one event per 2xx)",
    measured: inconsistent ? `${inconsistent} scenario(s) off` : "events match 2xx answers in every run",
    met: inconsistent === 0,
  });
  return { rows, targets };
}
