import { testDatabaseServerUrl } from "@repokeys/db/testing";
import { type Harness, type HarnessOptions, startHarness } from "../../src/testing/api-harness";
import { type PostgresCluster, startPostgresCluster } from "./postgres-cluster";

export interface TwoInstances {
  a: Harness;
  b: Harness;
  close(): Promise<void>;
}

/**
 * Two app instances (each its own services, connection pool and HTTP server) on one PostgreSQL database, as
 * behind a load balancer: TEST_DATABASE_URL's server when set, else a throwaway server of our own (PGlite is
 * one process's database). `b` joins the database `a` created, with `a`'s master keys.
 */
export async function startTwoInstances(
  options: { a?: HarnessOptions; b?: HarnessOptions } = {},
): Promise<TwoInstances> {
  let cluster: PostgresCluster | undefined;
  let serverUrl = testDatabaseServerUrl();
  if (!serverUrl) {
    cluster = await startPostgresCluster();
    serverUrl = cluster.serverUrl;
  }
  const a = await startHarness({ ...options.a, serverUrl });
  const b = await startHarness({ ...options.b, databaseUrl: a.database.databaseUrl!, masterKeys: a.masterKeys });
  return {
    a,
    b,
    async close() {
      await b.close();
      await a.close();
      await cluster?.dispose();
    },
  };
}
