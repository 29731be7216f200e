// The Markdown of a run (bench/results.md): the summary's tables, the targets side by side, the features'
// costs, every run.
import { round } from "./load";
import type { BenchReport } from "./report";

const fmt = (v: number | null | undefined, digits = 2) =>
  v === null || v === undefined ? "–" : String(round(v, digits));

export function renderMarkdown(report: BenchReport): string {
  const m = report.machine as Record<string, unknown>;
  const st = report.settings as Record<string, unknown>;
  const labels = new Map(report.scenarios.map((s) => [s.id, s.label]));
  const lines: string[] = [];
  lines.push("# Benchmark results");
  lines.push("");
  lines.push(
    `Run ${report.startedAt} → ${report.finishedAt}. Written by \`pnpm --filter @repokeys/bench bench\` (see bench/README.md); raw figures in results.json.`,
  );
  lines.push("");
  lines.push(
    `Machine: ${m.cpu}, ${m.cores} cores shared by the server, PostgreSQL and the load generator (and other work), ` +
      `${m.memoryGiB} GiB, ${m.kernel}, Node ${m.node}, PostgreSQL ${m.postgres} ` +
      `(${Object.entries(m.postgresSettings as object)
        .map(([k, v]) => `${k}=${v}`)
        .join(
          ", ",
        )}). Load average before ${(m.loadAverageBefore as number[]).join(" / ")}, after ${(m.loadAverageAfter as number[]).join(" / ")}.`,
  );
  lines.push("");
  lines.push(
    `Method: autocannon, ${st.warmupS} s warm-up then ${st.durationS} s measured per scenario and connection count, ` +
      `${st.repeats} repeats with the scenario order rotated; figures are medians over the repeats, errors are summed. ` +
      `Ratios compare each repeat with the strongest floor of the same work measured in the same repeat (renames: \`baseline\`; lists: the list floor of the same size; the 304: the 1,000-key list floor; verify: its floor), then take the median. ` +
      `Every update request renames one of ${st.updateKeyCount} keys to a fresh name (checked: one "updated" event per 2xx). ` +
      `Server CPU is the process's utime+stime from /proc per request; PostgreSQL CPU sums the backends serving the bench database. ` +
      `Both servers use a pool of ${st.poolMax} connections. The app runs its production build with its default settings ` +
      `(request log at info to a file, token cache TOKEN_CACHE_TTL_MS=5000).`,
  );
  lines.push("");
  lines.push("## Throughput and latency");
  lines.push("");
  lines.push(
    "| scenario | conns | req/s | ratio to its floor | p50 ms | p99 ms | p99 ratio | errors | server CPU ms/req | PG CPU ms/req | peak RSS MiB |",
  );
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of report.summary.rows) {
    lines.push(
      `| ${labels.get(r.scenario) ?? r.scenario} | ${r.connections} | ${r.requestsPerSec} | ${fmt(r.throughputRatioToBaseline)} | ${r.p50Ms} | ${r.p99Ms} | ${fmt(r.p99RatioToBaseline)} | ${r.errors} | ${fmt(r.serverCpuMsPerRequest, 3)} | ${fmt(r.pgCpuMsPerRequest, 3)} | ${r.peakRssMiB} |`,
    );
  }
  lines.push("");
  lines.push("## Database round trips per request (counted)");
  lines.push("");
  lines.push(
    `A proxy between the server and PostgreSQL counts the client's Sync ('S') and simple Query ('Q') messages over ${st.countRequests} requests at 16 connections, after a warm-up; a separate server instance connects through it, so the throughput runs above have no proxy in the way.`,
  );
  lines.push("");
  lines.push("| server | round trips / request | round trips | requests | errors | configuration |");
  lines.push("|---|---:|---:|---:|---:|---|");
  for (const rt of report.roundTrips)
    lines.push(`| ${rt.target} | ${rt.perRequest} | ${rt.roundTrips} | ${rt.requests} | ${rt.errors} | ${rt.note} |`);
  lines.push("");
  lines.push("## Targets (issues #6, #11, #12, #20)");
  lines.push("");
  lines.push(
    `Medians over ${st.repeats} repeats, the app and its floor measured side by side in each repeat; the ratio is the median of the per-repeat ratios.`,
  );
  lines.push("");
  lines.push("| target | app | floor | measured | met |");
  lines.push("|---|---|---|---|---|");
  for (const t of report.summary.targets)
    lines.push(`| ${t.target} | ${t.app ?? "–"} | ${t.floor ?? "–"} | ${t.measured} | ${t.met ? "yes" : "**no**"} |`);
  lines.push(
    "| a revoked token stops at once on the revoking instance, within TOKEN_CACHE_TTL_MS (default 5 s) elsewhere | – | – | packages/api/test/token-revocation.test.ts | see test |",
  );
  lines.push("");
  lines.push("## What the app's features cost on top of the floor");
  lines.push("");
  lines.push(
    "The floors do only the asked work; each line here is the floor plus one thing the app does for a feature, against the plain floor in the same repeats.",
  );
  lines.push("");
  lines.push("| feature | conns | floor req/s | floor + feature req/s | ratio | p99 ms floor / + feature |");
  lines.push("|---|---:|---:|---:|---:|---|");
  for (const [id, floorId] of [
    ["baseline-version", "baseline"],
    ["baseline-webhooks", "baseline"],
    ["baseline-counter", "baseline"],
    ["list-floor-etag", "list-floor"],
  ] as const)
    for (const r of report.summary.rows.filter((x) => x.scenario === id)) {
      const f = report.summary.rows.find((x) => x.scenario === floorId && x.connections === r.connections);
      lines.push(
        `| ${labels.get(id) ?? id} | ${r.connections} | ${f?.requestsPerSec ?? "–"} | ${r.requestsPerSec} | ${fmt(r.throughputRatioToBaseline)} | ${f?.p99Ms ?? "–"} / ${r.p99Ms} |`,
      );
    }
  const busy = report.summary.rows.filter((r) => r.alongside);
  if (busy.length) {
    lines.push("");
    lines.push("## Renames with verifications alongside");
    lines.push("");
    lines.push(
      "| scenario | conns | renames req/s | renames p99 ms | alongside req/s | alongside p99 ms | alongside errors |",
    );
    lines.push("|---|---:|---:|---:|---:|---:|---:|");
    for (const r of busy)
      lines.push(
        `| ${labels.get(r.scenario) ?? r.scenario} | ${r.connections} | ${r.requestsPerSec} | ${r.p99Ms} | ${r.alongside!.requestsPerSec} | ${r.alongside!.p99Ms} | ${r.alongside!.errors} |`,
      );
  }
  lines.push("");
  lines.push("## Every run");
  lines.push("");
  lines.push(
    "| repeat | scenario | conns | req/s | p50 ms | p99 ms | errors | server CPU ms/req | PG CPU ms/req | peak RSS MiB |",
  );
  lines.push("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of report.runs)
    lines.push(
      `| ${r.repeat} | ${r.scenario} | ${r.connections} | ${r.requestsPerSec} | ${r.latencyMs.p50} | ${r.latencyMs.p99} | ${r.errors} | ${r.serverCpuMsPerRequest} | ${fmt(r.pgCpuMsPerRequest, 3)} | ${r.peakRssMiB} |`,
    );
  lines.push("");
  return lines.join("\n");
}
