import { BearerTokenVerifier, SessionVersions } from "@repokeys/auth";
import { loadMasterKeyring, type MasterKeyring } from "@repokeys/crypto";
import {
  connectFromSettings,
  type Database,
  type DatabaseSettings,
  databaseSettingsFromEnv,
  migrate,
} from "@repokeys/db";
import { createLogger, type Logger } from "./logging/logger";
import { noRateLimits, type RateLimitSettings, rateLimitSettingsFromEnv } from "./rate-limit/rate-limit-settings";
import { createRateLimits, type RateLimits } from "./rate-limit/rate-limits";

/** What every procedure may use; built once per process. */
export interface ApiServices {
  db: Database;
  keyring: MasterKeyring;
  bearerTokens: BearerTokenVerifier;
  /** Ends web sessions on sign-out (the web app's sign-in checks every session against it). */
  sessionVersions: SessionVersions;
  /** REST per token; sign-in per account and address (called by the web app's sign-in). */
  rateLimits: RateLimits;
  logger: Logger;
}

export interface ApiSettings {
  database: DatabaseSettings;
  /** `MASTER_KEYS`; required with PostgreSQL, generated into the data folder on the embedded default. */
  masterKeys: string | undefined;
  /** How long another instance may keep trusting a token revoked, or a web session ended, elsewhere. */
  tokenCacheTtlMs: number;
  rateLimits: RateLimitSettings;
}

export function apiSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ApiSettings {
  const tokenCacheTtlMs = Number(env.TOKEN_CACHE_TTL_MS ?? 5_000);
  if (!Number.isInteger(tokenCacheTtlMs) || tokenCacheTtlMs < 0 || tokenCacheTtlMs > 60_000) {
    throw new Error(
      `TOKEN_CACHE_TTL_MS must be a whole number of milliseconds from 0 to 60000, not "${env.TOKEN_CACHE_TTL_MS}".`,
    );
  }
  return {
    database: databaseSettingsFromEnv(env),
    masterKeys: env.MASTER_KEYS || undefined,
    tokenCacheTtlMs,
    rateLimits: rateLimitSettingsFromEnv(env),
  };
}

/** Assembles the services around an open database (tests pass their own). Without `rateLimits`, nothing is limited. */
export async function createApiServices(
  db: Database,
  settings: Pick<ApiSettings, "masterKeys" | "tokenCacheTtlMs"> & {
    embeddedDataDir: string | undefined;
    rateLimits?: RateLimitSettings;
  },
  logger: Logger = createLogger(),
): Promise<ApiServices> {
  const keyring = await loadMasterKeyring({
    configured: settings.masterKeys,
    embeddedDataDir: settings.embeddedDataDir,
    warn: (message) => logger.warn(message),
  });
  return {
    db,
    keyring,
    bearerTokens: new BearerTokenVerifier(db.sql, { cacheTtlMs: settings.tokenCacheTtlMs }),
    sessionVersions: new SessionVersions(db.sql, { cacheTtlMs: settings.tokenCacheTtlMs }),
    rateLimits: await createRateLimits(settings.rateLimits ?? noRateLimits, logger),
    logger,
  };
}

/** Connects, migrates and assembles everything a server or the admin command needs. */
export async function startApiServices(settings: ApiSettings, logger: Logger = createLogger()): Promise<ApiServices> {
  const embeddedDataDir = settings.database.databaseUrl ? undefined : settings.database.dataDir;
  // Fail on configuration before touching the database.
  if (!embeddedDataDir && !settings.masterKeys) {
    await loadMasterKeyring({ configured: undefined, embeddedDataDir: undefined });
  }
  const db = await connectFromSettings(settings.database);
  try {
    const applied = await migrate(db);
    if (applied.length) logger.info({ migrations: applied }, "applied database migrations");
    return await createApiServices(db, { ...settings, embeddedDataDir }, logger);
  } catch (err) {
    await db.close();
    throw err;
  }
}
