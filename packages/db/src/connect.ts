import { createHash } from "node:crypto";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pLimit from "p-limit";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { dumpPglite } from "./embedded-dump";
import { lockEmbeddedDataDir } from "./embedded-lock";
import { PrismaClient } from "./generated/prisma/client";
import { type ListenHandlers, PostgresListener } from "./listener";
import { holdPrivateUmask, makeDataDirPrivate } from "./private-data-dir";
import type { SqlRunner, SqlTransaction } from "./sql";

export type DatabaseKind = "postgres" | "pglite";

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** One statement at a time, on whichever connection is free. */
  sql: SqlRunner;
  /**
   * For reads whose cost the caller shapes (the audit trail's filters): each under `readStatementTimeoutMs`
   * on the server, and at most the pool less its reserve at once, so that however many such reads arrive,
   * writes and key verifications still find a connection. Embedded PGlite is one connection: there it is `sql`.
   */
  reads: SqlRunner;
  /** Runs `work` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /** PostgreSQL only: the connection pool's counts now (for metrics); PGlite is one connection, no pool. */
  poolStats?: () => PoolStats;
  /**
   * Hands every NOTIFY on `channel` to `handlers` until `close`: on PostgreSQL over a connection of its own that
   * is opened again with backoff when it drops, on PGlite in-process. Resolves once the first attempt to listen
   * is over, whether it succeeded or goes on retrying.
   */
  listen(channel: string, handlers: ListenHandlers): Promise<void>;
  /** Embedded only: a consistent plain-SQL pg_dump of the whole database, taken while it serves. */
  dump?: () => Promise<string>;
  /** Embedded only: the cluster's files as one tarball, which `loadDataDir` starts a copy from. */
  dumpDataDir?: () => Promise<Blob>;
  close(): Promise<void>;
}

export interface PoolStats {
  /** Connections open (in use or idle). */
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
  max: number;
}

export interface ReadLimits {
  /** Server-side `statement_timeout` of each bounded read (default 5 s). */
  readStatementTimeoutMs?: number;
}

/** Connections bounded reads never take: a third of the pool, at least one when there are two or more. */
export const reservedConnections = (poolMax: number) => (poolMax < 2 ? 0 : Math.max(1, Math.floor(poolMax / 3)));

export type ConnectOptions =
  | ({ databaseUrl: string; poolMax?: number } & ReadLimits)
  /**
   * `dataDir` undefined: a throwaway in-memory database (tests), started from `loadDataDir` (a PGlite data
   * directory dump) when given, which is several times faster than creating a new cluster.
   */
  | { dataDir: string | undefined; lockWaitMs?: number; loadDataDir?: Blob };

export async function connectDatabase(options: ConnectOptions): Promise<Database> {
  return "databaseUrl" in options
    ? connectPostgres(options.databaseUrl, options.poolMax, options.readStatementTimeoutMs)
    : connectPglite(options.dataDir, options.lockWaitMs, options.loadDataDir);
}

/**
 * `work` on one connection of `pool` between `begin` and COMMIT. On failure the connection is closed, not given
 * back: that rolls the transaction back without another round trip, which on a silent server would wait out a
 * second query timeout.
 */
async function inTransaction<T>(pool: pg.Pool, begin: string, work: (client: pg.PoolClient) => Promise<T>) {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query("COMMIT");
    client.release();
    return result;
  } catch (err) {
    client.release(true);
    throw err;
  }
}

function connectPostgres(connectionString: string, poolMax = 10, readStatementTimeoutMs = 5_000): Database {
  const pool = new pg.Pool({
    connectionString,
    max: poolMax,
    // A request must fail with an error, not hang, when the database is away: a new connection gets 5 s;
    // a statement 15 s on the server, and 20 s on our side for a server that went silent (a network partition,
    // a frozen host), which no server-side timeout can catch.
    connectionTimeoutMillis: 5_000,
    statement_timeout: 15_000,
    query_timeout: 20_000,
    keepAlive: true,
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const statementName = namedStatements();
  // p-limit rather than a pool of its own: the share is of the one pool, so the reserve is real.
  const readSlots = pLimit(Math.max(1, poolMax - reservedConnections(poolMax)));
  const timeout = `SET LOCAL statement_timeout = ${Math.max(1, Math.floor(readStatementTimeoutMs))}`;
  const listeners: PostgresListener[] = [];
  return {
    kind: "postgres",
    prisma,
    sql: {
      query: async <Row extends Record<string, unknown>>(text: string, params?: readonly unknown[]) =>
        (await pool.query<Row>({ text, values: params as unknown[] | undefined, name: statementName(text) })).rows,
    },
    // SET LOCAL needs a transaction: two more round trips (BEGIN and SET LOCAL go as one simple query). The
    // read itself stays a named statement, planned once per connection like `sql`'s.
    reads: {
      query: <Row extends Record<string, unknown>>(text: string, params?: readonly unknown[]) =>
        readSlots(() =>
          inTransaction(pool, `BEGIN; ${timeout}`, async (client) => {
            const values = params as unknown[] | undefined;
            return (await client.query<Row>({ text, values, name: statementName(text) })).rows;
          }),
        ),
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: poolMax }),
    transaction: (work) =>
      inTransaction(pool, "BEGIN", (client) =>
        work({
          exec: async (sqlText) => {
            await client.query(sqlText);
          },
          query: async <Row extends Record<string, unknown>>(text: string, params?: readonly unknown[]) =>
            (await client.query<Row>(text, params as unknown[] | undefined)).rows,
        }),
      ),
    listen: (channel, handlers) =>
      new Promise((firstAttemptOver) => {
        listeners.push(new PostgresListener(connectionString, channel, handlers, firstAttemptOver));
      }),
    async close() {
      await Promise.all(listeners.map((listener) => listener.close()));
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/**
 * Names for `sql.query`'s statements, so that each connection parses and plans a statement once and then only
 * binds and executes it (the same one round trip; PostgreSQL's plan cache decides between a generic and a
 * per-call plan, as for any prepared statement). Our hot statements are large CTEs whose parse and plan cost
 * PostgreSQL more CPU than running them: the REST rename's PostgreSQL CPU fell from ~0.7 ms to ~0.3 ms a request
 * (bench/results.md).
 * The texts are the code's constants (plus the system-event list's filter combinations); past the cap a text
 * runs unnamed, so SQL built some other way can never grow every connection's statement cache without bound.
 */
const maxNamedStatements = 1_000;

function namedStatements(): (text: string) => string | undefined {
  const names = new Map<string, string>();
  return (text) => {
    let name = names.get(text);
    if (name === undefined && names.size < maxNamedStatements) {
      name = `rk_${createHash("sha256").update(text).digest("base64url").slice(0, 24)}`;
      names.set(text, name);
    }
    return name;
  };
}

async function connectPglite(dataDir: string | undefined, lockWaitMs?: number, loadDataDir?: Blob): Promise<Database> {
  let unlock = async () => {};
  let releaseUmask = () => {};
  const letGo = async (pglite?: PGlite) => {
    await pglite?.close();
    await unlock();
    releaseUmask();
  };
  const failed =
    (pglite?: PGlite) =>
    async (err: unknown): Promise<never> => {
      await letGo(pglite);
      throw err;
    };
  let pgliteDir: string | undefined;
  if (dataDir !== undefined) {
    releaseUmask = holdPrivateUmask();
    // Opened by its real path from here on: a link swapped after the check changes nothing.
    dataDir = await makeDataDirPrivate(dataDir).catch(failed());
    unlock = await lockEmbeddedDataDir(dataDir, lockWaitMs).catch(failed());
    pgliteDir = path.join(dataDir, "pglite");
  }
  const db = await PGlite.create(pgliteDir, { loadDataDir }).catch(failed());
  // Again once PGlite has started: it sets some of its files' modes itself.
  if (dataDir !== undefined) await makeDataDirPrivate(dataDir).catch(failed(db));
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  const sql: SqlRunner = {
    query: async <Row extends Record<string, unknown>>(text: string, params?: readonly unknown[]) =>
      (await db.query<Row>(text, params as unknown[] | undefined)).rows,
  };
  return {
    kind: "pglite",
    prisma,
    sql,
    reads: sql,
    // PGlite is one connection; its transaction() holds it exclusively until the work settles.
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          exec: async (sqlText) => {
            await tx.exec(sqlText);
          },
          query: async <Row extends Record<string, unknown>>(text: string, params?: readonly unknown[]) =>
            (await tx.query<Row>(text, params as unknown[] | undefined)).rows,
        }),
      ),
    // One process, one connection: a NOTIFY is delivered to this same connection's listeners at commit.
    async listen(channel, handlers) {
      await db.listen(channel, handlers.onNotification);
      handlers.onListening();
    },
    dump: () => dumpPglite(db),
    dumpDataDir: () => db.dumpDataDir("none"),
    async close() {
      await prisma.$disconnect();
      await letGo(db);
    },
  };
}
