// Round trips, counted: a second app (and baseline) whose database connections go through a counting proxy
// (src/pg-proxy.ts), so the throughput runs have no proxy in the way.
import { setTimeout as sleep } from "node:timers/promises";
import type autocannon from "autocannon";
import { cleanups, countRequests, log, startApp, startBaseline, withDatabase } from "./harness";
import { round, runAutocannon } from "./load";
import { startPgProxy } from "./pg-proxy";
import { stop } from "./processes";
import type { RoundTripCount } from "./report";
import { listOptions } from "./scenarios/list";
import { renameRequests } from "./scenarios/rename";
import type { BenchContext } from "./scenarios/scenario";
import { verifyRequests } from "./scenarios/verify-load";

async function countRoundTrips(
  label: string,
  scenarioOptions: () => autocannon.Options,
  proxy: Awaited<ReturnType<typeof startPgProxy>>,
  note: string,
  amount = countRequests,
): Promise<RoundTripCount> {
  await runAutocannon({ ...scenarioOptions(), connections: 16, amount: Math.min(300, amount) });
  await sleep(300);
  proxy.reset();
  const result = await runAutocannon({ ...scenarioOptions(), connections: 16, amount });
  await sleep(300); // anything the requests set off (e.g. a token's lastUsedAt stamp) lands in the count
  const counts = proxy.counts();
  const requests = result.requests.total;
  const errors = result.errors + result.timeouts + result.non2xx;
  log(`  ${label}: ${counts.roundTrips} round trips / ${requests} requests (${errors} errors)`);
  return {
    target: label,
    note,
    requests,
    errors,
    roundTrips: counts.roundTrips,
    syncs: counts.syncs,
    simpleQueries: counts.queries,
    perRequest: round(counts.roundTrips / requests, 3),
  };
}

export async function countAllRoundTrips(
  { seed: s, masterKeys, auth }: BenchContext,
  adminUrl: string,
  database: string,
): Promise<RoundTripCount[]> {
  log(`counting database round trips over ${countRequests} requests at 16 connections`);
  const pgUrl = new URL(adminUrl);
  const upstream = { host: pgUrl.hostname, port: Number(pgUrl.port || 5432) };
  const roundTrips: RoundTripCount[] = [];
  for (const variant of [
    { ttl: undefined, note: "as deployed: token lookups cached (TOKEN_CACHE_TTL_MS default 5000)" },
    { ttl: 0, note: "token cache off (TOKEN_CACHE_TTL_MS=0): every request looks its token up" },
  ]) {
    const proxy = await startPgProxy(upstream);
    cleanups.push(() => proxy.close());
    const counted = await startApp({
      name: `app-counted-ttl${variant.ttl ?? "default"}`,
      databaseUrl: withDatabase(adminUrl, database, proxy.port),
      masterKeys,
      tokenCacheTtlMs: variant.ttl,
    });
    const suffix = variant.ttl === 0 ? " (cache off)" : "";
    roundTrips.push(
      await countRoundTrips(
        `rest${suffix}`,
        () => ({ url: counted.base, ...renameRequests("rest", s, "rt-rest") }),
        proxy,
        variant.note,
      ),
      await countRoundTrips(
        `trpc${suffix}`,
        () => ({ url: counted.base, ...renameRequests("trpc", s, "rt-trpc") }),
        proxy,
        variant.note,
      ),
    );
    if (variant.ttl === undefined)
      roundTrips.push(
        // The list is slow (1,000 keys a request): fewer requests count it just as well.
        await countRoundTrips(
          "list",
          listOptions(counted.base, s.listRepoId, auth),
          proxy,
          variant.note,
          Math.min(countRequests, 400),
        ),
        await countRoundTrips(
          "verify",
          () => ({ url: counted.base, ...verifyRequests(s.verifyPairs, s.gatewayToken) }),
          proxy,
          "key cache (KEY_CACHE_TTL_MS default 5000) and gateway-token cache warm after the first pass",
        ),
      );
    await stop(counted.proc);
    await proxy.close();
  }
  {
    const proxy = await startPgProxy(upstream);
    cleanups.push(() => proxy.close());
    const counted = await startBaseline("baseline-counted", withDatabase(adminUrl, database, proxy.port));
    roundTrips.push(
      await countRoundTrips(
        "baseline",
        () => ({ url: counted.base, ...renameRequests("rest", s, "rt-base") }),
        proxy,
        "prepared, the app's token cache (TOKEN_CACHE_TTL_MS 5000)",
      ),
    );
    await stop(counted.proc);
    await proxy.close();
  }
  return roundTrips;
}
