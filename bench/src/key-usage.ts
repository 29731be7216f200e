// `pnpm --filter @repokeys/bench bench:key-usage [-- options]`: what usage per key adds, apart from
// the rest of a verification. On the verify path: `KeyUsage.count`, timed over `--calls` calls spread over
// `--keys` keys, less the same loop without it. Off the path: one flush of `--keys` keys' counts (the statement
// each instance runs once a minute), first inserting each key's day row, then adding to them. Creates a fresh
// database on the local PostgreSQL (always dropped).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createLogger, KeyUsage } from "@repokeys/api";
import { connectDatabase, migrate } from "@repokeys/db";
import { benchArgs, benchDir, standaloneBench } from "./standalone-bench";

const args = benchArgs({
  calls: { type: "string", default: "2000000" },
  keys: { type: "string", default: "10000" },
  repeats: { type: "string", default: "5" },
});
const calls = Number(args.calls);
const keyCount = Number(args.keys);
const repeats = Number(args.repeats);

const { log, cleanups, freshDatabase, exitWith } = standaloneBench("key-usage");

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** ns per call of `work(i)` over `calls` calls, the median of `repeats` runs. */
function nsPerCall(work: (i: number) => void): number {
  const runs: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) work(i);
    runs.push(Number(process.hrtime.bigint() - started) / calls);
  }
  return median(runs);
}

async function main() {
  const { databaseUrl } = await freshDatabase(args["pg-url"], "repokeys_usage_bench");
  const db = await connectDatabase({ databaseUrl });
  cleanups.push(() => db.close());
  await migrate(db);
  const [repo] = await db.sql.query<{ id: string }>(
    `WITH w AS (INSERT INTO "Workspace" (name) VALUES ('bench') RETURNING id)
     INSERT INTO "Repo" ("workspaceId", name) SELECT id, 'bench' FROM w RETURNING id`,
  );
  const keys = await db.sql.query<{ id: string }>(
    `INSERT INTO "RepoAiApiKey" ("repoId", name, "aiType", key, "secretCiphertext", "masterKeyVersion", "secretHash")
     SELECT $1, 'k' || n, 'OPENAI', 'rk_bench' || n, '\\x00', 1, '\\x00' FROM generate_series(1, $2::int) n
     RETURNING id`,
    [repo!.id, keyCount],
  );
  const ids = keys.map((k) => k.id);
  const usage = new KeyUsage(db.sql, createLogger("silent"), { flushIntervalMs: 600_000 });

  let sink = 0;
  const loopNs = nsPerCall((i) => {
    sink += ids[i % ids.length]!.length;
  });
  const countNs = nsPerCall((i) => {
    sink += ids[i % ids.length]!.length;
    usage.count(ids[i % ids.length]!, i % 10 === 0 ? "refused" : "valid");
  });
  log(
    `count(): ${(countNs - loopNs).toFixed(1)} ns a call (loop ${loopNs.toFixed(1)} ns, with count ${countNs.toFixed(1)} ns; checksum ${sink})`,
  );

  const flushMs = async () => {
    for (const id of ids) usage.count(id, "valid");
    const started = performance.now();
    await usage.flush();
    return performance.now() - started;
  };
  await usage.flush(); // the counts of the timing loop
  const inserting = [];
  const adding = [];
  for (let r = 0; r < repeats; r++) {
    await db.sql.query(`TRUNCATE "KeyUsageDay"`);
    inserting.push(await flushMs());
    adding.push(await flushMs());
  }
  const result = {
    measuredAt: new Date().toISOString(),
    calls,
    keys: keyCount,
    countNsPerCall: Number((countNs - loopNs).toFixed(1)),
    flushInsertMs: Number(median(inserting).toFixed(1)),
    flushAddMs: Number(median(adding).toFixed(1)),
  };
  log(
    `flush of ${keyCount} keys: ${result.flushInsertMs} ms inserting their rows, ${result.flushAddMs} ms adding to them`,
  );
  writeFileSync(path.join(benchDir, "results-key-usage.json"), `${JSON.stringify(result, null, 2)}\n`);
  return true;
}

exitWith(main);
