import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { connectDatabase } from "./connect";

export class DataDirNotEmptyError extends Error {
  override name = "DataDirNotEmptyError";
  constructor(readonly dataDir: string) {
    super(
      `${dataDir} already holds a database: a backup is restored only into a data folder without one, so that ` +
        "nothing is overwritten. Stop the app, move that folder away (or set DATA_DIR to a new one), then restore.",
    );
  }
}

/** The embedded database's own folder inside the data folder. */
export const pgliteDir = (dataDir: string) => path.join(dataDir, "pglite");

async function holdsDatabase(dataDir: string): Promise<boolean> {
  const entries = await readdir(pgliteDir(dataDir)).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return [];
    throw err;
  });
  return entries.length > 0;
}

/**
 * Loads a plain-SQL dump (`admin backup`, or pg_dump of a PostgreSQL database) into a new embedded database in
 * `dataDir`, in one transaction. Refuses a data folder that already has a database; on failure it leaves none.
 */
export async function restoreEmbeddedDump(dataDir: string, dump: string): Promise<void> {
  if (await holdsDatabase(dataDir)) throw new DataDirNotEmptyError(dataDir);
  const db = await connectDatabase({ dataDir, lockWaitMs: 0 });
  let restored = false;
  try {
    await db.transaction((tx) => tx.exec(dump));
    restored = true;
  } finally {
    await db.close();
    if (!restored) await rm(pgliteDir(dataDir), { recursive: true, force: true });
  }
}
