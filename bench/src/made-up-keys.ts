// `pnpm --filter @repokeys/bench bench:made-up-keys [-- options]`: what a flood of made-up keys costs the database.
// Creates a fresh database on the local PostgreSQL, starts the API alone (src/api-server.ts)
// behind the protocol proxy (src/pg-proxy.ts), and verifies `--keys` random keys through one gateway token: half
// in today's format (a check part the forger cannot compute), half in the format minted before check parts.
// Reports database round trips per verification, counted by the proxy (every one the app makes, the gateway
// token's own re-reads included). Target: < 0.01. Everything it starts is stopped, and the database dropped.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { formatMasterKey } from "@repokeys/crypto";
import { startPgProxy } from "./pg-proxy";
import { start, waitForHttp } from "./processes";
import { admin, benchArgs, benchDir, standaloneBench, workDir } from "./standalone-bench";

const args = benchArgs({
  keys: { type: "string", default: "100000" },
  connections: { type: "string", default: "16" },
});
const keyCount = Number(args.keys);
const connections = Number(args.connections);
const target = 0.01;

const { log, cleanups, freshDatabase, exitWith } = standaloneBench("made-up-keys");

const random = (bytes: number) => randomBytes(bytes).toString("base64url");
/** What a forger sends: today's length (a 24-character random part and an 11-character check), or the old one. */
const madeUpKey = (i: number) => (i % 2 === 0 ? `rk_${random(26)}` : `rk_${random(18)}`);

async function main() {
  const { databaseUrl } = await freshDatabase(args["pg-url"], "repokeys_madeup_bench");
  const env = { DATABASE_URL: databaseUrl, MASTER_KEYS: formatMasterKey(1) };
  // The admin command migrates the database on its first run.
  const gatewayToken = await admin(env, "gateway-token", "create", "--name", "bench gateway");

  const upstream = new URL(databaseUrl);
  const proxy = await startPgProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
  cleanups.push(() => proxy.close());
  const proxied = new URL(databaseUrl);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(proxy.port);
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const server = start("made-up-keys-api", process.execPath, ["--import", "tsx", "src/api-server.ts"], {
    cwd: benchDir,
    env: {
      ...process.env,
      ...env,
      DATABASE_URL: proxied.toString(),
      PORT: String(port),
      REDIS_URL: "",
      // 100,000 verifications through one gateway token: far past its default 6000 a minute.
      RATE_LIMIT_VERIFY_PER_GATEWAY_TOKEN: "1000000000",
    },
    logFile: path.join(workDir, "made-up-keys-api.log"),
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/openapi.json`, server);

  const answers = new Map<string, number>();
  let next = 0;
  const before = proxy.counts().roundTrips;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < keyCount) {
        const i = next++;
        const res = await fetch(`${base}/ai/apikey/verify`, {
          method: "POST",
          headers: { authorization: `Bearer ${gatewayToken}`, "content-type": "application/json" },
          body: JSON.stringify({ key: madeUpKey(i), secret: `rks_${random(32)}` }),
        });
        const body = (await res.json()) as { valid?: boolean; code?: string };
        const answer = res.status === 200 ? `200 ${body.valid ? "valid" : body.code}` : String(res.status);
        answers.set(answer, (answers.get(answer) ?? 0) + 1);
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const roundTrips = proxy.counts().roundTrips - before;
  const perVerification = roundTrips / keyCount;
  const result = {
    keys: keyCount,
    connections,
    seconds: Number(seconds.toFixed(1)),
    verificationsPerSecond: Math.round(keyCount / seconds),
    databaseRoundTrips: roundTrips,
    roundTripsPerVerification: perVerification,
    target,
    met: perVerification < target,
    answers: Object.fromEntries(answers),
  };
  log(JSON.stringify(result));
  log(
    `${roundTrips} database round trips for ${keyCount.toLocaleString("en")} made-up keys: ` +
      `${perVerification.toFixed(5)} per verification (target < ${target}) ${result.met ? "MET" : "MISSED"}`,
  );
  writeFileSync(path.join(benchDir, "results-made-up-keys.json"), `${JSON.stringify(result, null, 2)}\n`);
  return result.met;
}

exitWith(main);
