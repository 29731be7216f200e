import { testDatabaseServerUrl } from "@repokeys/db/testing";
import { type Harness, type HarnessOptions, startHarness } from "../../src/testing/api-harness";
import { type PostgresCluster, startPostgresCluster } from "./postgres-cluster";

export interface AppInstances {
  instances: Harness[];
  close(): Promise<void>;
}

/**
 * App instances (each its own services, connection pool and HTTP server) on one fresh PostgreSQL database, as
 * behind a load balancer, one for each entry of `options`: on TEST_DATABASE_URL's server when set, else on a
 * throwaway server of our own (PGlite is one process's database). The others join the database the first
 * created, with its master keys. `close` stops them, last first.
 */
export async function startInstances(options: readonly HarnessOptions[]): Promise<AppInstances> {
  let cluster: PostgresCluster | undefined;
  let serverUrl = testDatabaseServerUrl();
  if (!serverUrl) {
    cluster = await startPostgresCluster();
    serverUrl = cluster.serverUrl;
  }
  const instances: Harness[] = [];
  const close = async () => {
    for (const h of [...instances].reverse()) await h.close();
    await cluster?.dispose();
  };
  try {
    const [firstOptions, ...rest] = options;
    const first = await startHarness({ ...firstOptions, serverUrl });
    instances.push(first);
    for (const more of rest)
      instances.push(
        await startHarness({ ...more, databaseUrl: first.database.databaseUrl!, masterKeys: first.masterKeys }),
      );
  } catch (err) {
    await close();
    throw err;
  }
  return { instances, close };
}

export interface TwoInstances {
  a: Harness;
  b: Harness;
  close(): Promise<void>;
}

/** `startInstances` of two, named: `b` joins the database `a` created. */
export async function startTwoInstances(
  options: { a?: HarnessOptions; b?: HarnessOptions } = {},
): Promise<TwoInstances> {
  const { instances, close } = await startInstances([options.a ?? {}, options.b ?? {}]);
  return { a: instances[0]!, b: instances[1]!, close };
}
