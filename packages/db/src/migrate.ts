import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "./connect";

export const migrationsDir = fileURLToPath(new URL("../prisma/migrations", import.meta.url));

// Any constant both processes agree on; "repokeys" in ASCII.
const migrationLockKey = "8243113893085591923";

/**
 * The table `prisma migrate deploy` keeps, in its exact shape, so that Prisma's own tooling reads our
 * history wherever its native engine is available.
 */
const createHistoryTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = migrationsDir): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

export class MigrationChecksumError extends Error {
  constructor(readonly migration: string) {
    super(
      `Migration ${migration} was changed after it was applied to this database. ` +
        "Applied migrations are history: restore the file and add a new migration for the change.",
    );
    this.name = "MigrationChecksumError";
  }
}

/**
 * Applies every pending migration, each in its own transaction under a transaction-scoped advisory
 * lock, so two processes starting at once apply each migration exactly once. Returns the names applied.
 */
export async function migrate(db: Database, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await readMigrations());
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1::bigint)", [migrationLockKey]);
    await tx.exec(createHistoryTable);
  });
  for (const migration of all) {
    const didApply = await db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1::bigint)", [migrationLockKey]);
      const rows = await tx.query<{ checksum: string }>(
        `SELECT checksum FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        [migration.name],
      );
      if (rows[0]) {
        if (rows[0].checksum !== migration.checksum) throw new MigrationChecksumError(migration.name);
        return false;
      }
      await tx.exec(migration.sql);
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      return true;
    });
    if (didApply) applied.push(migration.name);
    // Embedded PGlite runs in this thread: a run of migrations that never yields to the event loop starves the
    // embedded lock's refresh timer (embedded-lock.ts) past its stale time, and another process would take the
    // folder over while it is in use. One turn of the loop between migrations lets the refresh run.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return applied;
}
