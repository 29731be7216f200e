import { testDatabaseServerUrl } from "@repokeys/db/testing";
import { type Harness, startHarness } from "../../src/testing";
import { type PostgresCluster, startPostgresCluster } from "./postgres-cluster";

/**
 * `count` app instances on one fresh PostgreSQL database: the run's server, or (in a PGlite run, where a
 * database lives in one process) a server started for the file. `close` stops them all.
 */
export async function startScaleOutInstances(count: number): Promise<{ instances: Harness[]; close(): Promise<void> }> {
  let cluster: PostgresCluster | undefined;
  let serverUrl = testDatabaseServerUrl();
  if (!serverUrl) {
    cluster = await startPostgresCluster();
    serverUrl = cluster.serverUrl;
  }
  const first = await startHarness({ serverUrl });
  const instances = [first];
  for (let i = 1; i < count; i++)
    instances.push(await startHarness({ databaseUrl: first.database.databaseUrl!, masterKeys: first.masterKeys }));
  return {
    instances,
    async close() {
      for (const h of [...instances].reverse()) await h.close();
      await cluster?.dispose();
    },
  };
}
