import type { Database } from "./connect";
import { TargetNotEmptyError } from "./copy-database";
import type { SqlRunner } from "./sql";

/**
 * A move's target must have no table at all in its `public` schema, not even a `_prisma_migrations` (another
 * Prisma application's database has one too): checked before anything is written, so a database that is not
 * ours is never migrated.
 */
export async function assertTargetHasNoTables(sql: SqlRunner): Promise<TargetBefore> {
  const [table] = await sql.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename = '_prisma_migrations', 1 LIMIT 1`,
  );
  if (table)
    throw new TargetNotEmptyError(
      `it has a table ${table.name}; if an earlier move into it was interrupted, drop and create the database again`,
    );
  return { functions: (await functionsOf(sql)).map((f) => f.signature) };
}

/** What an empty target held before the move: functions are allowed there (an extension's, an operator's). */
export interface TargetBefore {
  functions: string[];
}

/** Functions in `public` (the migrations make some: triggers' functions), by signature, for DROP FUNCTION. */
function functionsOf(sql: SqlRunner) {
  return sql.query<{ signature: string }>(
    `SELECT p.oid::regprocedure::text AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public' AND NOT EXISTS
       (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`,
  );
}

/**
 * Undoes a move that failed after migrating the target: drops every table and enum type in `public`, and the
 * functions that were not there before. Only for a target that `assertTargetHasNoTables` found empty, so
 * every table there is what the move made; the database is then as it was, and the move can be run again.
 */
export async function dropWhatTheMoveMade(target: Database, before: TargetBefore): Promise<void> {
  await target.transaction(async (tx) => {
    const tables = await tx.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`,
    );
    const types = await tx.query<{ name: string }>(
      `SELECT t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = 'public' AND t.typtype = 'e'`,
    );
    const quoted = (rows: { name: string }[]) => rows.map((row) => `"${row.name.replaceAll('"', '""')}"`).join(", ");
    if (tables.length) await tx.exec(`DROP TABLE ${quoted(tables)} CASCADE`);
    if (types.length) await tx.exec(`DROP TYPE ${quoted(types)} CASCADE`);
    const made = (await functionsOf(tx)).filter((f) => !before.functions.includes(f.signature));
    if (made.length) await tx.exec(`DROP FUNCTION ${made.map((f) => f.signature).join(", ")} CASCADE`);
  });
}
