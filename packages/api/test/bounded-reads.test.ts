// Reads whose cost the caller shapes (the audit trail) cannot take the whole pool or run without end:
// `db.reads` runs each under READ_STATEMENT_TIMEOUT_MS and at most the pool less its
// reserve at once. On real PostgreSQL (the run's server, or one started here), since PGlite is one connection.
import { connectDatabase, type Database, reservedConnections } from "@repokeys/db";
import { createTestDatabase, type TestDatabase, testDatabaseServerUrl } from "@repokeys/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../src/errors/database-unavailable";
import { type PostgresCluster, startPostgresCluster } from "./support/postgres-cluster";

let cluster: PostgresCluster | undefined;
let database: TestDatabase;
let db: Database;
const poolMax = 4;

beforeAll(async () => {
  let serverUrl = testDatabaseServerUrl();
  if (!serverUrl) {
    cluster = await startPostgresCluster();
    serverUrl = cluster.serverUrl;
  }
  database = await createTestDatabase({ migrated: false, serverUrl });
  db = await connectDatabase({ databaseUrl: database.databaseUrl!, poolMax, readStatementTimeoutMs: 300 });
});
afterAll(async () => {
  await db?.close();
  await database?.dispose();
  await cluster?.dispose();
});

describe("bounded reads", () => {
  it("end at the read statement timeout on the server, as a database-unavailable error (503)", async () => {
    const error = await db.reads.query("SELECT pg_sleep(3)").then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toMatchObject({ code: "57014" });
    expect(isDatabaseUnavailable(error)).toBe(true);
    // The pool is whole again, and other statements are not under that timeout.
    expect(await db.sql.query("SELECT pg_sleep(0.5), 1 AS one")).toEqual([{ pg_sleep: "", one: 1 }]);
  });

  it("leave the reserve to everything else, however many arrive", async () => {
    expect(reservedConnections(poolMax)).toBe(1);
    const finished: string[] = [];
    const reads = Array.from({ length: 8 }, (_, i) =>
      db.reads.query("SELECT pg_sleep(0.2)").then(() => finished.push(`read ${i}`)),
    );
    // Writes and verifications use `sql`: one finds the reserved connection while every read slot is busy.
    await db.sql.query("SELECT 1");
    finished.push("other");
    await Promise.all(reads);
    expect(finished[0]).toBe("other");
    expect(finished).toHaveLength(9);
  });

  it("keep at most the pool less the reserve running at once", async () => {
    let most = 0;
    const watch = setInterval(async () => {
      const [row] = await db.sql.query<{ running: number }>(
        `SELECT count(*)::int AS running FROM pg_stat_activity
         WHERE datname = current_database() AND state = 'active' AND query = 'SELECT pg_sleep(0.25)'`,
      );
      most = Math.max(most, row?.running ?? 0);
    }, 50);
    await Promise.all(Array.from({ length: 9 }, () => db.reads.query("SELECT pg_sleep(0.25)")));
    clearInterval(watch);
    expect(most).toBe(poolMax - reservedConnections(poolMax));
  });
});
