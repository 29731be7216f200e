import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { schemaPath } from "../scripts/schema-sql.mjs";
import { schemaSqlHeader, schemaSqlPath } from "../scripts/write-schema-sql.mjs";
import { type Database, MigrationChecksumError, migrate, readMigrations } from "../src";
import { createTestDatabase, type TestDatabase } from "../src/testing";

const opened: TestDatabase[] = [];
async function freshDatabase(migrated: boolean): Promise<Database> {
  const test = await createTestDatabase({ migrated });
  opened.push(test);
  return test.db;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((t) => t.dispose()));
});

/** Everything about the public schema that a migration can get wrong, in a stable order. */
async function schemaSnapshot(db: Database) {
  const q = (text: string) => db.sql.query(text);
  return {
    columns: await q(`
      SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default,
             character_maximum_length, numeric_precision, datetime_precision
      FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
      ORDER BY table_name, column_name`),
    indexes: await q(`
      SELECT tablename, indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
      ORDER BY tablename, indexname`),
    constraints: await q(`
      SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
      FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'
      ORDER BY 1, 2`),
    enums: await q(`
      SELECT t.typname, e.enumlabel, e.enumsortorder FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
      ORDER BY 1, 3`),
  };
}

describe("migrations", () => {
  it("prisma/schema.sql is made from the current schema.prisma", async () => {
    const [schemaText, schemaSql] = await Promise.all([readFile(schemaPath, "utf8"), readFile(schemaSqlPath, "utf8")]);
    expect(
      schemaSql.split("\n", 1)[0],
      "schema.prisma changed since prisma/schema.sql was written: run `node scripts/write-schema-sql.mjs` in packages/db",
    ).toBe(schemaSqlHeader(schemaText));
  });

  it("produce exactly the schema that schema.prisma describes (drift check)", async () => {
    const [fromMigrations, fromSchema] = await Promise.all([freshDatabase(true), freshDatabase(false)]);
    const expectedSql = await readFile(schemaSqlPath, "utf8");
    await fromSchema.transaction((tx) => tx.exec(expectedSql));

    const expected = await schemaSnapshot(fromSchema);
    expect(expected.columns.length).toBeGreaterThan(40);
    expect(await schemaSnapshot(fromMigrations)).toEqual(expected);

    // The comparison is sharp enough to see one stray column.
    await fromSchema.sql.query(`ALTER TABLE "Repo" ADD COLUMN "stray" integer`);
    expect(await schemaSnapshot(fromMigrations)).not.toEqual(await schemaSnapshot(fromSchema));
  });

  it("is idempotent: a second run applies nothing and changes nothing", async () => {
    const db = await freshDatabase(false);
    const all = await readMigrations();
    expect(await migrate(db)).toEqual(all.map((m) => m.name));
    const before = await schemaSnapshot(db);
    expect(await migrate(db)).toEqual([]);
    expect(await schemaSnapshot(db)).toEqual(before);
    const history = await db.sql.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(history).toEqual(all.map((m) => ({ migration_name: m.name, checksum: m.checksum })));
  });

  it("applies each migration once when two starts race", async () => {
    const target = await createTestDatabase({ migrated: false });
    opened.push(target);
    // On PostgreSQL a second, separate connection pool plays the second process.
    const second = target.databaseUrl
      ? await (await import("../src")).connectDatabase({ databaseUrl: target.databaseUrl })
      : target.db;
    try {
      const results = await Promise.all([migrate(target.db), migrate(second), migrate(target.db)]);
      const names = (await readMigrations()).map((m) => m.name);
      expect(results.flat().sort()).toEqual([...names].sort());
      const rows = await target.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
      expect(rows[0]?.n).toBe(names.length);
    } finally {
      if (second !== target.db) await second.close();
    }
  });

  it("refuses to run when an applied migration was edited afterwards", async () => {
    const db = await freshDatabase(true);
    const edited = (await readMigrations()).map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
    await expect(migrate(db, edited)).rejects.toBeInstanceOf(MigrationChecksumError);
  });
});
