import path from "node:path";
import lockfile from "proper-lockfile";

/**
 * PGlite does not lock its data folder: two processes on one folder both open it and silently
 * corrupt it. We hold an exclusive lock for as long as the database is open. A crashed holder
 * stops refreshing the lock, so it goes stale after `staleMs` and the next start takes it over.
 */
const staleMs = 5_000;

export class EmbeddedDatabaseInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `The embedded database in ${dataDir} is in use by another process (the app, or another admin command). ` +
        "Stop that process first, use another DATA_DIR, or set DATABASE_URL to use PostgreSQL, " +
        "which any number of processes can share.",
    );
    this.name = "EmbeddedDatabaseInUseError";
  }
}

/** `waitMs` defaults to a little more than `staleMs`, to outwait the lock of a holder that just crashed. */
export async function lockEmbeddedDataDir(dataDir: string, waitMs = staleMs + 2_000): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dataDir, {
      lockfilePath: path.join(dataDir, "pglite.lock"),
      realpath: false,
      stale: staleMs,
      update: staleMs / 2,
      retries: { retries: Math.ceil(waitMs / 500), factor: 1, minTimeout: 500, maxTimeout: 500 },
      onCompromised: (err) => {
        // Someone else took the folder: writing on would corrupt it, so stop at once.
        console.error(`Lost the lock on the embedded database in ${dataDir}: ${err.message}`);
        process.exit(70);
      },
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ELOCKED") throw new EmbeddedDatabaseInUseError(dataDir);
    throw err;
  }
}
