import { canonicalEmail } from "@repokeys/auth";
import { sha256 } from "@repokeys/crypto";
import { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { Logger } from "../logging/logger";
import type { ApiMetrics } from "../metrics/api-metrics";
import { type RateLimitSettings, signInWindowSeconds, unknownTokenWindowSeconds } from "./rate-limit-settings";

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const allowed: RateLimitVerdict = { allowed: true };
const refused = (state: RateLimiterRes): RateLimitVerdict => ({
  allowed: false,
  retryAfterSeconds: Math.max(1, Math.ceil(state.msBeforeNext / 1000)),
});

/** One limit: `points` per `durationSeconds` per key, or no limit at all when `points` is 0. */
export class RateLimit {
  constructor(
    private readonly limiter: RateLimiterAbstract | undefined,
    /** The limit as a person reads it, for messages. */
    readonly description: string,
    /** Counts each refusal (the `repokeys_rate_limit_refusals_total` metric). */
    private readonly refusals?: { inc(): void },
  ) {}

  /** Counts one use of `key`; a refusal says when the key may try again. */
  async consume(key: string): Promise<RateLimitVerdict> {
    if (!this.limiter) return allowed;
    try {
      await this.limiter.consume(key);
      return allowed;
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      this.refusals?.inc();
      return refused(refusal);
    }
  }

  /**
   * Gives back one use counted by `consume`: a use is counted before the work it pays for, so that uses racing
   * each other cannot all pass a limit they would together exceed, and given back when the work cost nothing
   * the limit is about (e.g. the token looked up turned out valid).
   */
  async reward(key: string): Promise<void> {
    await this.limiter?.reward(key, 1);
  }

  /** Whether `key` has already used up its budget (so its next use would be refused), without counting a use. */
  async peek(key: string): Promise<RateLimitVerdict> {
    if (!this.limiter) return allowed;
    const used = await this.limiter.get(key);
    if (!used || used.consumedPoints < this.limiter.points) return allowed;
    this.refusals?.inc();
    return refused(used);
  }

  /** Forgets the key's uses (e.g. an account's failed sign-ins once the right password is given). */
  async reset(key: string): Promise<void> {
    await this.limiter?.delete(key);
  }
}

/** Client addresses and emails are personal data: the store only ever sees their hashes. */
export const hashed = (value: string) => sha256(value).toString("base64url");

/** One account tried from one address: the pair, so a stranger's wrong guesses never spend the owner's budget. */
const pairKey = ({ email, address }: { email: string; address: string }) =>
  hashed(`${canonicalEmail(email)}\n${address}`);

/**
 * The sign-in limit, per account and address pair and per client address. The web app calls `attempt` before it
 * checks a password, for every attempt (whether or not the account exists, so the answer does not reveal which
 * accounts exist), and `succeeded` after a correct password.
 *
 * Per pair, not per account (OWASP's authentication guidance): counting per account alone would let anyone lock
 * a person out by typing wrong passwords for their email. Guessing one account from many addresses is still
 * bounded, by each address's own budget.
 */
export class SignInLimit {
  constructor(
    private readonly perPair: RateLimit,
    private readonly perAddress: RateLimit,
  ) {}

  /** Counts one attempt against the account from this address and against the address; refused past either limit. */
  async attempt(attempt: { email: string; address: string }): Promise<RateLimitVerdict> {
    const verdicts = await Promise.all([
      this.perPair.consume(pairKey(attempt)),
      this.perAddress.consume(hashed(attempt.address)),
    ]);
    const waits = verdicts.flatMap((v) => (v.allowed ? [] : [v.retryAfterSeconds]));
    return waits.length ? { allowed: false, retryAfterSeconds: Math.max(...waits) } : allowed;
  }

  /**
   * The account's earlier failures from this address stop counting; the address keeps its count (it may be
   * guessing many accounts).
   */
  async succeeded(attempt: { email: string; address: string }): Promise<void> {
    await this.perPair.reset(pairKey(attempt));
  }

  /**
   * Whether the address has already spent its budget, without counting: lets the server refuse a script's
   * attempts with a 429 before reading them, while `attempt` stays the one place that counts.
   */
  async peekAddress(address: string): Promise<RateLimitVerdict> {
    return this.perAddress.peek(hashed(address));
  }
}

export interface RateLimits {
  /** Procedure calls per API token (keyed by the token's id, never the token) or per web session's user. */
  calls: RateLimit;
  /**
   * Lookups of tokens that turned out unknown, revoked or expired, per client address (keyed by the address's
   * hash): API tokens and gateway tokens alike.
   */
  unknownTokens: RateLimit;
  /** Lookups of keys that found nothing, per gateway token (keyed by its id), on `/ai/apikey/verify`. */
  unknownKeys: RateLimit;
  /** Key verifications per gateway token (keyed by its id), over REST and tRPC alike. */
  verifications: RateLimit;
  signIn: SignInLimit;
  /** `redis` when counters are shared through `REDIS_URL`, `memory` when each instance counts alone. */
  store: "redis" | "memory";
  close(): Promise<void>;
}

const defaultKeyPrefix = "repokeys:rate";

/**
 * Builds the limits on Redis when `REDIS_URL` is set, in memory otherwise. A Redis that cannot be reached
 * at start is a configuration error; one that goes away later is survived: each instance then counts in
 * memory (an "insurance" limiter) until Redis is back, so an outage loosens limits but never fails requests.
 */
export async function createRateLimits(
  settings: RateLimitSettings,
  logger: Logger,
  metrics?: ApiMetrics,
): Promise<RateLimits> {
  const redis = settings.redisUrl ? await connectRedis(settings.redisUrl, logger) : undefined;
  const limit = (name: string, points: number, durationSeconds: number, unit: string) => {
    if (points === 0) return new RateLimit(undefined, "no limit");
    const options = {
      keyPrefix: `${settings.redisKeyPrefix ?? defaultKeyPrefix}:${name}`,
      points,
      duration: durationSeconds,
    };
    const memory = new RateLimiterMemory(options);
    const limiter = redis
      ? new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: memory })
      : memory;
    return new RateLimit(limiter, `${points} per ${unit}`, metrics?.rateLimitRefused(name));
  };
  return {
    calls: limit("rest", settings.restPerMinute, 60, "minute per API token or signed-in user"),
    unknownTokens: limit(
      "unknown-token",
      settings.unknownTokensPerAddress ?? 0,
      unknownTokenWindowSeconds,
      "15 minutes per address for unknown tokens",
    ),
    unknownKeys: limit(
      "unknown-key",
      settings.unknownKeysPerGatewayToken ?? 0,
      60,
      "minute per gateway token for unknown keys of the old format",
    ),
    verifications: limit(
      "gateway-verify",
      settings.verificationsPerGatewayToken ?? 0,
      60,
      "minute per gateway token for key verifications",
    ),
    signIn: new SignInLimit(
      limit(
        "signin-account-address",
        settings.signInPerAccount,
        signInWindowSeconds,
        "15 minutes per account and address",
      ),
      limit("signin-address", settings.signInPerAddress, signInWindowSeconds, "15 minutes per address"),
    ),
    store: redis ? "redis" : "memory",
    async close() {
      redis?.disconnect();
    },
  };
}

async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    // A limiter must answer now or fall back to memory, never queue behind a dead connection.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // A Redis that hangs instead of refusing: give up on it quickly and count in memory.
    commandTimeout: 1_000,
    connectTimeout: 5_000,
  });
  let healthy = false;
  let lastError: Error | undefined;
  client.on("error", (err: Error) => {
    lastError = err;
    if (!healthy) return;
    healthy = false;
    logger.warn({ err }, "lost Redis: rate limits are counted per instance until it is back");
  });
  client.on("ready", () => {
    if (healthy) return;
    healthy = true;
    logger.info("rate limits are shared through Redis");
  });
  try {
    await client.connect();
    return client;
  } catch (err) {
    client.disconnect();
    const where = new URL(url);
    if (where.password) where.password = "***";
    throw new Error(
      `REDIS_URL is set but Redis at ${where} cannot be reached (${(lastError ?? (err as Error)).message}). ` +
        "Start Redis, or unset REDIS_URL to keep rate limits in each instance's memory.",
    );
  }
}
