import { connectDatabase, type Database } from "./connect";
import { resolveDataDir } from "./data-dir";

export interface DatabaseSettings {
  /** PostgreSQL when set; otherwise the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  poolMax: number;
}

export function databaseSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseSettings {
  const poolMax = Number(env.DATABASE_POOL_MAX ?? 10);
  if (!Number.isInteger(poolMax) || poolMax < 1) {
    throw new Error(
      `DATABASE_POOL_MAX must be a whole number of connections of at least 1, not "${env.DATABASE_POOL_MAX}".`,
    );
  }
  return { databaseUrl: env.DATABASE_URL || undefined, dataDir: resolveDataDir(env), poolMax };
}

export function connectFromSettings(settings: DatabaseSettings): Promise<Database> {
  return settings.databaseUrl
    ? connectDatabase({ databaseUrl: settings.databaseUrl, poolMax: settings.poolMax })
    : connectDatabase({ dataDir: settings.dataDir });
}
