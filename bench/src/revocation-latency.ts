// `pnpm --filter @repokeys/bench bench:revocation [-- options]`: how soon a key deleted through one instance stops
// verifying on another. Creates a fresh database on the local PostgreSQL, starts two API
// instances on it (src/api-server.ts, A and B, each with its LISTEN connection), and for each of `--keys` keys:
// B verifies it (cached there for KEY_CACHE_TTL_MS), A deletes it, and B is asked again back to back until it
// answers INVALID; the lag is from the delete's 200 to that answer, while `--load` gateways keep verifying other
// keys through B. Then the same with B's and A's listening connections cut (pg_terminate_backend) before each
// delete: no answer may be staler than the TTL. Target: p99 < 50 ms with the listener up; none beyond the TTL
// when it is cut. Writes bench/results-revocation.json; everything it starts is stopped, and the database dropped.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatMasterKey } from "@repokeys/crypto";
import { start, waitForHttp } from "./processes";
import { admin, benchArgs, benchDir, standaloneBench, workDir } from "./standalone-bench";

const args = benchArgs({
  keys: { type: "string", default: "300" },
  "cut-keys": { type: "string", default: "50" },
  load: { type: "string", default: "4" },
  "ttl-ms": { type: "string", default: "5000" },
});
const keyCount = Number(args.keys);
const cutKeyCount = Number(args["cut-keys"]);
const ttlMs = Number(args["ttl-ms"]);
const targetP99Ms = 50;
/** What the listening connections call themselves (packages/db/src/listener.ts), so that they can be cut. */
const listenerName = "listen repokeys_invalidation";

const { log, freshDatabase, exitWith } = standaloneBench("revocation");

interface Pair {
  id: string;
  key: string;
  secret: string;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

async function main() {
  const { database, databaseUrl, adminClient } = await freshDatabase(args["pg-url"], "repokeys_revocation_bench");
  const env = { DATABASE_URL: databaseUrl, MASTER_KEYS: formatMasterKey(1) };
  // The admin command migrates the database on its first run.
  const email = `revocation-${randomBytes(4).toString("hex")}@example.test`;
  await admin(env, "user", "create", "--email", email, "--name", "Bench User");
  const workspace = JSON.parse(await admin(env, "workspace", "create", "--name", "Bench", "--owner", email));
  const repo = JSON.parse(await admin(env, "repo", "create", "--workspace", workspace.id, "--name", "revocation"));
  const token = await admin(env, "token", "create", "--email", email, "--name", "bench");
  const gatewayToken = await admin(env, "gateway-token", "create", "--name", "bench gateway");

  const startInstance = async (name: string) => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const server = start(name, process.execPath, ["--import", "tsx", "src/api-server.ts"], {
      cwd: benchDir,
      env: {
        ...process.env,
        ...env,
        PORT: String(port),
        REDIS_URL: "",
        LOG_LEVEL: "warn",
        KEY_CACHE_TTL_MS: String(ttlMs),
        RATE_LIMIT_REST_PER_MINUTE: "1000000000",
      },
      logFile: path.join(workDir, `revocation-${name}.log`),
    });
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/openapi.json`, server);
    return base;
  };
  const a = await startInstance("a");
  const b = await startInstance("b");

  const userAuth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const pairs: Pair[] = [];
  for (let i = 0; i < keyCount + cutKeyCount + 64; i++) {
    const res = await fetch(`${a}/repo/${repo.id}/ai/apikey`, {
      method: "POST",
      headers: userAuth,
      body: JSON.stringify({ name: `key ${i}`, aiType: "OPENAI" }),
    });
    if (res.status !== 201) throw new Error(`creating a key answered ${res.status}`);
    pairs.push((await res.json()) as Pair);
  }
  const deletable = pairs.slice(0, keyCount + cutKeyCount);
  const background = pairs.slice(keyCount + cutKeyCount);

  /** How long each verification took: what one answer costs B here, the floor under any lag measured. */
  const verifyMs: number[] = [];
  const verify = async (pair: Pair) => {
    const sentAt = performance.now();
    const res = await fetch(`${b}/ai/apikey/verify`, {
      method: "POST",
      headers: { authorization: `Bearer ${gatewayToken}`, "content-type": "application/json" },
      body: JSON.stringify({ key: pair.key, secret: pair.secret }),
    });
    if (res.status !== 200) throw new Error(`a verification answered ${res.status}`);
    const { valid } = (await res.json()) as { valid: boolean };
    verifyMs.push(performance.now() - sentAt);
    return valid;
  };

  let done = false;
  let backgroundVerifications = 0;
  const load = Array.from({ length: Number(args.load) }, async () => {
    while (!done) {
      if (!(await verify(background[Math.floor(Math.random() * background.length)]!)))
        throw new Error("a key nobody deleted answered INVALID");
      backgroundVerifications++;
    }
  });

  /** Lag (ms) from the delete's 200 on A to B's first INVALID; `beforeDelete` runs once B has the key cached. */
  const lagOf = async (pair: Pair, beforeDelete?: () => Promise<void>) => {
    if (!(await verify(pair))) throw new Error("a live key answered INVALID");
    await beforeDelete?.();
    const res = await fetch(`${a}/repo/${repo.id}/ai/apikey/${pair.id}`, { method: "DELETE", headers: userAuth });
    const deletedAt = performance.now();
    if (res.status !== 200) throw new Error(`a delete answered ${res.status}`);
    while (await verify(pair)) {
      if (performance.now() - deletedAt > 2 * ttlMs) throw new Error("still valid after twice the TTL");
    }
    return performance.now() - deletedAt;
  };

  const listening = deletable.slice(0, keyCount);
  const lags: number[] = [];
  for (const pair of listening) lags.push(await lagOf(pair));
  const cut = async () => {
    const { rows } = await adminClient.query<{ cut: boolean }>(
      "SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity WHERE datname = $1 AND application_name = $2",
      [database, listenerName],
    );
    if (!rows.some((r) => r.cut)) throw new Error("found no listening connection to cut");
  };
  const cutLags: number[] = [];
  for (const pair of deletable.slice(keyCount)) cutLags.push(await lagOf(pair, cut));
  done = true;
  await Promise.all(load);

  lags.sort((x, y) => x - y);
  cutLags.sort((x, y) => x - y);
  verifyMs.sort((x, y) => x - y);
  const round = (ms: number) => Number(ms.toFixed(1));
  const result = {
    keys: keyCount,
    keyCacheTtlMs: ttlMs,
    backgroundVerifiers: Number(args.load),
    backgroundVerifications,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    oneVerification: { p50Ms: round(percentile(verifyMs, 50)), p99Ms: round(percentile(verifyMs, 99)) },
    listening: { p50Ms: round(percentile(lags, 50)), p99Ms: round(percentile(lags, 99)), maxMs: round(lags.at(-1)!) },
    targetP99Ms,
    cut: {
      keys: cutKeyCount,
      p50Ms: round(percentile(cutLags, 50)),
      maxMs: round(cutLags.at(-1) ?? 0),
      staleBeyondTtl: cutLags.filter((lag) => lag > ttlMs).length,
    },
    met: percentile(lags, 99) < targetP99Ms && cutLags.every((lag) => lag <= ttlMs),
  };
  log(JSON.stringify(result));
  log(
    `delete on A to INVALID on B over ${keyCount} keys: p50 ${result.listening.p50Ms} ms, p99 ${result.listening.p99Ms} ms ` +
      `(target < ${targetP99Ms} ms; one verification alone: p50 ${result.oneVerification.p50Ms} ms, p99 ` +
      `${result.oneVerification.p99Ms} ms; load average ${result.loadAverage.join(" ")}); with the listeners cut before each of ${cutKeyCount} deletes: max ` +
      `${result.cut.maxMs} ms, ${result.cut.staleBeyondTtl} answers staler than the TTL (${ttlMs} ms) ` +
      `${result.met ? "MET" : "MISSED"}`,
  );
  writeFileSync(path.join(benchDir, "results-revocation.json"), `${JSON.stringify(result, null, 2)}\n`);
  return result.met;
}

exitWith(main);
