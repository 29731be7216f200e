import {
  BearerTokenVerifier,
  type ExternalAccounts,
  GatewayTokenVerifier,
  InvalidationFeed,
  SessionVersions,
} from "@repokeys/auth";
import { type CredentialCheck, loadMasterKeyring, type MasterKeyring } from "@repokeys/crypto";
import {
  connectFromSettings,
  type Database,
  type DatabaseSettings,
  databaseSettingsFromEnv,
  migrate,
} from "@repokeys/db";
import { createExternalAccounts } from "./accounts/external-accounts";
import { loadCredentialCheck } from "./credentials/credential-check-key";
import { KeyUsage } from "./gateway/key-usage";
import { KeyVerifier } from "./gateway/key-verifier";
import { createLogger, type Logger } from "./logging/logger";
import { ApiMetrics } from "./metrics/api-metrics";
import { noRateLimits, type RateLimitSettings, rateLimitSettingsFromEnv } from "./rate-limit/rate-limit-settings";
import { createRateLimits, type RateLimits } from "./rate-limit/rate-limits";
import { defaultMaxKeysPerRepo, maxKeysPerRepoFromEnv } from "./routers/ai-api-key/key-cap";
import { WebhookWorker } from "./webhooks/delivery-worker";
import { LookupsPerWorkspace } from "./webhooks/lookups-per-workspace";
import { defaultWebhookSettings, type WebhookSettings, webhookSettingsFromEnv } from "./webhooks/webhook-settings";

/** What every procedure may use; built once per process. */
export interface ApiServices {
  db: Database;
  keyring: MasterKeyring;
  /** Mints public keys and tokens with a check part, and tells made-up ones without a lookup. */
  credentials: CredentialCheck;
  bearerTokens: BearerTokenVerifier;
  /** Gateway tokens: they may verify keys and nothing else. */
  gatewayTokens: GatewayTokenVerifier;
  /** Key/secret verification for gateways, with its bounded cache. */
  keyVerifier: KeyVerifier;
  /** Verifications per key and day, held in memory and flushed in batches; `close` it on shutdown. */
  keyUsage: KeyUsage;
  /** Ends web sessions on sign-out (the web app's sign-in checks every session against it). */
  sessionVersions: SessionVersions;
  /** The accounts GitHub and OpenID Connect sign-ins sign in to (the web app's Auth.js config calls it). */
  externalAccounts: ExternalAccounts;
  /** REST per token; sign-in per account and address (called by the web app's sign-in). */
  rateLimits: RateLimits;
  /** This instance's Prometheus metrics (served by `serveMetrics` on a listener of their own). */
  metrics: ApiMetrics;
  /** Sends the webhook deliveries from the database queue (its settings: the URL rules, timeouts, retries). */
  webhooks: WebhookWorker;
  /** The webhook address checks of registrations under way, bounded per workspace. */
  webhookLookups: LookupsPerWorkspace;
  logger: Logger;
  /** `MAX_KEYS_PER_REPO`: the most live keys a repository may hold; a create or rotation past it is refused. */
  maxKeysPerRepo: number;
}

export interface ApiSettings {
  database: DatabaseSettings;
  /** `MASTER_KEYS`; required with PostgreSQL, generated into the data folder on the embedded default. */
  masterKeys: string | undefined;
  /**
   * How long another instance may keep trusting a token revoked, or a web session ended, elsewhere when the
   * announcement does not reach it (its listening connection is down).
   */
  tokenCacheTtlMs: number;
  /** The same for a key deleted or rotated elsewhere, and how long a rename elsewhere takes to show here. */
  keyCacheTtlMs: number;
  /** `USAGE_FLUSH_INTERVAL_MS`: how often key usage is written, the most of it a crash loses. */
  usageFlushIntervalMs: number;
  rateLimits: RateLimitSettings;
  webhooks: WebhookSettings;
  maxKeysPerRepo: number;
}

export const defaultUsageFlushIntervalMs = 60_000;

function usageFlushIntervalFromEnv(env: NodeJS.ProcessEnv): number {
  const value = Number(env.USAGE_FLUSH_INTERVAL_MS ?? defaultUsageFlushIntervalMs);
  if (!Number.isInteger(value) || value < 1_000 || value > 600_000) {
    throw new Error(
      `USAGE_FLUSH_INTERVAL_MS must be a whole number of milliseconds from 1000 to 600000, not "${env.USAGE_FLUSH_INTERVAL_MS}".`,
    );
  }
  return value;
}

function cacheTtlFromEnv(env: NodeJS.ProcessEnv, name: string): number {
  const value = Number(env[name] ?? 5_000);
  if (!Number.isInteger(value) || value < 0 || value > 60_000) {
    throw new Error(`${name} must be a whole number of milliseconds from 0 to 60000, not "${env[name]}".`);
  }
  return value;
}

export function apiSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ApiSettings {
  return {
    database: databaseSettingsFromEnv(env),
    masterKeys: env.MASTER_KEYS || undefined,
    tokenCacheTtlMs: cacheTtlFromEnv(env, "TOKEN_CACHE_TTL_MS"),
    keyCacheTtlMs: cacheTtlFromEnv(env, "KEY_CACHE_TTL_MS"),
    usageFlushIntervalMs: usageFlushIntervalFromEnv(env),
    rateLimits: rateLimitSettingsFromEnv(env),
    webhooks: webhookSettingsFromEnv(env),
    maxKeysPerRepo: maxKeysPerRepoFromEnv(env),
  };
}

/** Assembles the services around an open database (tests pass their own). Without `rateLimits`, nothing is limited. */
export async function createApiServices(
  db: Database,
  settings: Pick<ApiSettings, "masterKeys" | "tokenCacheTtlMs"> & {
    /** Defaults to 5 s, like `KEY_CACHE_TTL_MS`. */
    keyCacheTtlMs?: number;
    /** Defaults to a minute, like `USAGE_FLUSH_INTERVAL_MS`. */
    usageFlushIntervalMs?: number;
    embeddedDataDir: string | undefined;
    rateLimits?: RateLimitSettings;
    /**
     * Hear other instances' announcements (default true). Off for a process that serves nothing (the admin
     * command line), and in tests of the TTL bound an instance that misses them keeps.
     */
    listen?: boolean;
    /** Defaults to `defaultWebhookSettings`. */
    webhooks?: WebhookSettings;
    /** Send webhook deliveries from this process (default true; off for the admin command line). */
    deliverWebhooks?: boolean;
    /** Defaults to 10,000, like `MAX_KEYS_PER_REPO`. */
    maxKeysPerRepo?: number;
  },
  logger: Logger = createLogger(),
): Promise<ApiServices> {
  const keyring = await loadMasterKeyring({
    configured: settings.masterKeys,
    embeddedDataDir: settings.embeddedDataDir,
    warn: (message) => logger.warn(message),
  });
  const credentials = await loadCredentialCheck(db.sql, keyring);
  const metrics = new ApiMetrics();
  if (db.poolStats) metrics.watchPool(db.poolStats);
  const rateLimits = await createRateLimits(settings.rateLimits ?? noRateLimits, logger, metrics);
  // What other instances delete, rotate, revoke or sign out, announced at commit: forgotten here at once.
  const invalidations = new InvalidationFeed();
  const tokenCache = { cacheTtlMs: settings.tokenCacheTtlMs, invalidations };
  const bearerTokens = new BearerTokenVerifier(db.sql, tokenCache);
  const gatewayTokens = new GatewayTokenVerifier(db.sql, tokenCache);
  const sessionVersions = new SessionVersions(db.sql, tokenCache);
  const keyUsage = new KeyUsage(db.sql, logger, {
    flushIntervalMs: settings.usageFlushIntervalMs ?? defaultUsageFlushIntervalMs,
    metrics,
  });
  const keyVerifier = new KeyVerifier(db.sql, logger, {
    cacheTtlMs: settings.keyCacheTtlMs ?? 5_000,
    invalidations,
    credentials,
    unknownKeys: rateLimits.unknownKeys,
    metrics,
    usage: keyUsage,
  });
  // Credentials minted before check parts are a closed set: read once, so that they are told real without a lookup.
  await Promise.all([
    bearerTokens.loadIssued(),
    gatewayTokens.loadIssued(),
    keyVerifier.loadLegacyKeys(),
    settings.listen === false ? undefined : invalidations.listen(db),
  ]);
  const webhookSettings = settings.webhooks ?? defaultWebhookSettings;
  const webhooks = new WebhookWorker(db, keyring, logger, webhookSettings);
  if (settings.deliverWebhooks !== false) webhooks.start();
  keyUsage.start();
  return {
    db,
    keyring,
    credentials,
    bearerTokens,
    gatewayTokens,
    keyVerifier,
    keyUsage,
    sessionVersions,
    externalAccounts: createExternalAccounts(db.sql),
    rateLimits,
    metrics,
    webhooks,
    webhookLookups: new LookupsPerWorkspace(webhookSettings.dnsLookupsPerWorkspace),
    logger,
    maxKeysPerRepo: settings.maxKeysPerRepo ?? defaultMaxKeysPerRepo,
  };
}

/** Connects, migrates and assembles everything a server or the admin command needs. */
export async function startApiServices(
  settings: ApiSettings & { listen?: boolean; deliverWebhooks?: boolean },
  logger: Logger = createLogger(),
): Promise<ApiServices> {
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
