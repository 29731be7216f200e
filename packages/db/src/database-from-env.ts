import { connectDatabase, type Database } from "./connect";
import { resolveDataDir } from "./data-dir";

export interface DatabaseSettings {
  /** PostgreSQL when set; otherwise the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  poolMax: number;
  /** `READ_STATEMENT_TIMEOUT_MS`: the server-side limit of each read whose cost the caller shapes. */
  readStatementTimeoutMs: number;
}

export function databaseSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseSettings {
  const poolMax = Number(env.DATABASE_POOL_MAX ?? 10);
  if (!Number.isInteger(poolMax) || poolMax < 1) {
    throw new Error(
      `DATABASE_POOL_MAX must be a whole number of connections of at least 1, not "${env.DATABASE_POOL_MAX}".`,
    );
  }
  const readStatementTimeoutMs = Number(env.READ_STATEMENT_TIMEOUT_MS ?? 5_000);
  if (!Number.isInteger(readStatementTimeoutMs) || readStatementTimeoutMs < 100) {
    throw new Error(
      `READ_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds, at least 100, not "${env.READ_STATEMENT_TIMEOUT_MS}".`,
    );
  }
  return { databaseUrl: env.DATABASE_URL || undefined, dataDir: resolveDataDir(env), poolMax, readStatementTimeoutMs };
}

export function connectFromSettings(settings: DatabaseSettings): Promise<Database> {
  return settings.databaseUrl
    ? connectDatabase({
        databaseUrl: settings.databaseUrl,
        poolMax: settings.poolMax,
        readStatementTimeoutMs: settings.readStatementTimeoutMs,
      })
    : connectDatabase({ dataDir: settings.dataDir });
}
