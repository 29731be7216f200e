import { randomBytes } from "node:crypto";
import pg from "pg";
import { connectDatabase, type Database } from "../connect";
import { migrate } from "../migrate";
import { pgliteSnapshot } from "./pglite-snapshot";

/** PostgreSQL when TEST_DATABASE_URL (or DATABASE_URL) is set, else embedded PGlite. */
export function testDatabaseServerUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.TEST_DATABASE_URL || env.DATABASE_URL || undefined;
}

export interface TestDatabase {
  db: Database;
  /** The fresh database's own URL on PostgreSQL, for servers started in another process. */
  databaseUrl: string | undefined;
  dispose(): Promise<void>;
}

/**
 * A fresh, empty database of the kind this test run targets: a new database on the PostgreSQL
 * server (dropped afterwards), or a new in-memory PGlite. `migrated` applies every migration.
 * `serverUrl` picks a PostgreSQL server of the test's own (e.g. one it stops and starts).
 */
export async function createTestDatabase({
  migrated = true,
  serverUrl = testDatabaseServerUrl(),
}: {
  migrated?: boolean;
  serverUrl?: string;
} = {}): Promise<TestDatabase> {
  if (!serverUrl) {
    const db = await connectDatabase({ dataDir: undefined, loadDataDir: await pgliteSnapshot(migrated) });
    return { db, databaseUrl: undefined, dispose: () => db.close() };
  }
  const name = `repokeys_test_${randomBytes(6).toString("hex")}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await connectDatabase({ databaseUrl: url.toString(), poolMax: 20 });
  if (migrated) await migrate(db);
  return {
    db,
    databaseUrl: url.toString(),
    async dispose() {
      await db.close();
      await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdminClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `Tests are set to use PostgreSQL at ${redact(serverUrl)} (TEST_DATABASE_URL/DATABASE_URL) but it cannot be reached: ` +
        `${(err as Error).message}. Start it, or unset both variables to test on embedded PGlite.`,
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
