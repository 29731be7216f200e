import type { Database } from "./connect";
import type { SqlRunner } from "./sql";

/** The copy was refused or did not verify; the target holds none of it. */
export class DatabaseCopyError extends Error {
  override name = "DatabaseCopyError";
}

export class TargetNotEmptyError extends DatabaseCopyError {
  override name = "TargetNotEmptyError";
  constructor(detail: string) {
    super(
      `The target database is not empty (${detail}); moving copies only into an empty database, so nothing is mixed.`,
    );
  }
}

export interface TableCopy {
  rows: number;
  /** md5 over the rows' JSON, sorted: equal on both sides when every row arrived unchanged. */
  checksum: string;
}

const migrationsTable = "_prisma_migrations";
/** Rows per INSERT: one statement stays well under PostgreSQL's limits and the statement timeout. */
const batchRows = 500;
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function tablesOf(sql: SqlRunner): Promise<string[]> {
  const rows = await sql.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> $1 ORDER BY 1`,
    [migrationsTable],
  );
  return rows.map((row) => row.name);
}

/** Parents before children, from the foreign keys, so every row's references exist when it is inserted. */
async function insertionOrder(sql: SqlRunner, tables: string[]): Promise<string[]> {
  const edges = await sql.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
     JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE k.contype = 'f' AND n.nspname = 'public' AND c.relname <> p.relname`,
  );
  const ordered: string[] = [];
  const visit = (table: string, path: string[]) => {
    if (ordered.includes(table)) return;
    if (path.includes(table)) throw new Error(`Foreign keys form a cycle through ${table}.`);
    for (const edge of edges) if (edge.child === table) visit(edge.parent, [...path, table]);
    ordered.push(table);
  };
  for (const table of tables) visit(table, []);
  return ordered;
}

async function checksum(sql: SqlRunner, table: string): Promise<TableCopy> {
  const [row] = await sql.query<{ rows: number; checksum: string }>(
    `SELECT count(*)::int AS rows, md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) AS checksum
     FROM (SELECT to_jsonb(t)::text AS r FROM ${quote(table)} t) s`,
  );
  return row ?? { rows: 0, checksum: "" };
}

async function appliedMigrations(sql: SqlRunner): Promise<string[]> {
  const rows = await sql.query<{ name: string }>(
    `SELECT migration_name AS name FROM ${quote(migrationsTable)} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

/**
 * Copies every row of every table from `source` into `target`, which must be migrated to the same version and
 * hold no rows: read in one transaction of the source (a consistent snapshot), written and then verified (row
 * counts and a checksum of each table) in one transaction of the target, so a failure anywhere leaves it empty.
 * Sequences (the audit trail's ids) continue after the copied rows.
 */
export async function copyDatabase(source: Database, target: Database): Promise<Record<string, TableCopy>> {
  const utc = "SET LOCAL TimeZone = 'UTC'"; // timestamps' text, and so the checksums, the same on both sides
  const snapshot = await source.transaction(async (tx) => {
    await tx.exec(utc);
    const tables = await tablesOf(tx);
    const data: Record<string, { rows: string[]; expected: TableCopy }> = {};
    for (const table of tables) {
      const rows = await tx.query<{ r: string }>(`SELECT to_jsonb(t)::text AS r FROM ${quote(table)} t`);
      data[table] = { rows: rows.map((row) => row.r), expected: await checksum(tx, table) };
    }
    return { migrations: await appliedMigrations(tx), order: await insertionOrder(tx, tables), data };
  });
  return target.transaction(async (tx) => {
    await tx.exec(utc);
    const targetMigrations = await appliedMigrations(tx);
    if (targetMigrations.join() !== snapshot.migrations.join())
      throw new DatabaseCopyError(
        `The target is migrated to a different version (${targetMigrations.at(-1) ?? "none"}) than the source ` +
          `(${snapshot.migrations.at(-1) ?? "none"}).`,
      );
    const targetTables = await tablesOf(tx);
    if (targetTables.join() !== Object.keys(snapshot.data).join())
      throw new DatabaseCopyError(`The target's tables (${targetTables.join(", ")}) differ from the source's.`);
    for (const table of targetTables) {
      const [row] = await tx.query<{ any: boolean }>(`SELECT EXISTS (SELECT FROM ${quote(table)}) AS any`);
      if (row?.any) throw new TargetNotEmptyError(`table ${table} has rows`);
    }
    for (const table of snapshot.order) {
      const { rows } = snapshot.data[table]!;
      for (let i = 0; i < rows.length; i += batchRows) {
        await tx.query(
          `INSERT INTO ${quote(table)} SELECT * FROM jsonb_populate_recordset(NULL::${quote(table)}, $1::jsonb)`,
          [`[${rows.slice(i, i + batchRows).join(",")}]`],
        );
      }
    }
    const serials = await tx.query<{ table: string; column: string }>(
      `SELECT table_name AS table, column_name AS column FROM information_schema.columns
       WHERE table_schema = 'public' AND column_default LIKE 'nextval(%'`,
    );
    for (const { table, column } of serials) {
      await tx.query(
        `SELECT setval(pg_get_serial_sequence($1, $2), max(${quote(column)})) FROM ${quote(table)} HAVING count(*) > 0`,
        [quote(table), column],
      );
    }
    const copied: Record<string, TableCopy> = {};
    for (const table of targetTables) {
      copied[table] = await checksum(tx, table);
      const { expected } = snapshot.data[table]!;
      if (copied[table].rows !== expected.rows || copied[table].checksum !== expected.checksum)
        throw new DatabaseCopyError(
          `Table ${table} did not arrive intact (${copied[table].rows} rows, expected ${expected.rows}); nothing was kept.`,
        );
    }
    return copied;
  });
}
