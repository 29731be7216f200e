import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { connectDatabase, type Database, migrate, restoreEmbeddedDump } from "@repokeys/db";
import type { ApiServices } from "../services";
import { OperatorError } from "./operator-actions";

/** Where an embedded installation's secrets live; a backup without them cannot decrypt a single key secret. */
export interface EmbeddedInstallation {
  dataDir: string;
  /** `MASTER_KEYS` when set; otherwise the key generated into the data folder is used. */
  masterKeys: string | undefined;
}

/** What must be kept with a backup, said without the secrets themselves. */
export function secretsToKeep(installation: EmbeddedInstallation) {
  const file = (name: string) => path.join(installation.dataDir, name);
  return {
    MASTER_KEYS: installation.masterKeys
      ? "the MASTER_KEYS value this installation runs with"
      : `the file ${file("master-keys")} (its content is the MASTER_KEYS value)`,
    AUTH_SECRET: existsSync(file("auth-secret"))
      ? `the file ${file("auth-secret")} (its content is the AUTH_SECRET value)`
      : "the AUTH_SECRET value the app runs with",
  };
}

/** Rows per table, the tables in name order: what a backup holds, and what a restore or move must carry. */
export async function tableCounts(db: Database): Promise<Record<string, number>> {
  const tables = await db.sql.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`);
    counts[name] = row?.n ?? 0;
  }
  return counts;
}

/** Rows per table in the dump itself (pg_dump writes one INSERT per row here), not in the database since. */
function rowsInDump(sql: string, tables: string[]): Record<string, number> {
  const rows = Object.fromEntries(tables.map((table) => [table, 0]));
  for (const match of sql.matchAll(/^INSERT INTO public\."?([^"\s]+)"? /gm)) {
    const table = match[1] as string;
    if (table in rows) rows[table] = (rows[table] ?? 0) + 1;
  }
  return rows;
}

/** `admin backup`: a consistent SQL dump of the embedded database, readable by its owner only; never overwrites a file. */
export async function backupEmbeddedDatabase(services: ApiServices, installation: EmbeddedInstallation, file: string) {
  const { dump } = services.db;
  if (!dump)
    throw new OperatorError("`backup` is for the embedded database; on PostgreSQL use pg_dump (docs/backups.md).");
  const sql = await dump();
  try {
    await writeFile(file, sql, { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST")
      throw new OperatorError(`${file} already exists; a backup never overwrites a file. Choose another name.`);
    throw err;
  }
  return {
    file,
    bytes: Buffer.byteLength(sql),
    rows: rowsInDump(sql, Object.keys(await tableCounts(services.db))),
    keepWithThisBackup: secretsToKeep(installation),
  };
}

/**
 * `admin restore`: a backup into a data folder without a database (the app stopped), then the migrations of this
 * version. The master key must be there first: without it none of the backup's secrets can be decrypted.
 */
export async function restoreEmbeddedDatabase(installation: EmbeddedInstallation | undefined, file: string) {
  if (!installation)
    throw new OperatorError("`restore` is for the embedded database; on PostgreSQL use pg_restore (docs/backups.md).");
  const { dataDir } = installation;
  if (!installation.masterKeys && !existsSync(path.join(dataDir, "master-keys")))
    throw new OperatorError(
      `Put the master key kept with the backup in place first: copy its master-keys file into ${dataDir} ` +
        "(or set MASTER_KEYS). Without it no secret in the backup can be decrypted.",
    );
  const sql = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    throw err.code === "ENOENT" ? new OperatorError(`There is no file ${file}.`) : err;
  });
  await restoreEmbeddedDump(dataDir, sql);
  const db = await connectDatabase({ dataDir });
  try {
    const migrations = await migrate(db);
    return { restored: file, dataDir, migrations, rows: await tableCounts(db) };
  } finally {
    await db.close();
  }
}
