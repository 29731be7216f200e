/** How hard callers may push; every limit counts per key (a token, an account, an address), never globally. */
export interface RateLimitSettings {
  /** `REDIS_URL`: counters shared by every instance. Without it each instance counts in its own memory. */
  redisUrl?: string;
  /** `RATE_LIMIT_REDIS_PREFIX`: keeps the counters of deployments (or test runs) that share one Redis apart. */
  redisKeyPrefix?: string;
  /**
   * `RATE_LIMIT_REST_PER_MINUTE`: procedure calls per minute per API token, and per user of a web session; 0
   * turns the limit off. A REST request is one call; a tRPC batch is as many calls as it holds.
   */
  restPerMinute: number;
  /**
   * `RATE_LIMIT_UNKNOWN_TOKENS_PER_ADDRESS`: unknown, revoked or expired API tokens a client address may present
   * per 15 minutes before its token lookups are refused; 0 (or omitted) turns the limit off.
   */
  unknownTokensPerAddress?: number;
  /**
   * `RATE_LIMIT_UNKNOWN_KEYS_PER_GATEWAY_TOKEN`: lookups per minute per gateway token of keys in the format
   * minted before check parts that this instance does not know and that the database does not hold either;
   * 0 (or omitted) turns the limit off. Keys with a check part never count: a forged one fails the check, a
   * real one is always looked up.
   */
  unknownKeysPerGatewayToken?: number;
  /**
   * `RATE_LIMIT_VERIFY_PER_GATEWAY_TOKEN`: key verifications per minute per gateway token (REST and tRPC alike;
   * a tRPC batch counts each call); 0 (or omitted) turns the limit off.
   */
  verificationsPerGatewayToken?: number;
  /**
   * `RATE_LIMIT_SIGNIN_PER_ACCOUNT`: sign-in attempts per account (email) from one client address per window;
   * 0 turns it off. Per address too, so that nobody can lock another person out.
   */
  signInPerAccount: number;
  /** `RATE_LIMIT_SIGNIN_PER_ADDRESS`: sign-in attempts per client address per window; 0 turns it off. */
  signInPerAddress: number;
}

/** Sign-in limits count over this window: long enough to make password guessing slow. */
export const signInWindowSeconds = 15 * 60;

/** The window of the unknown-token limit per address. */
export const unknownTokenWindowSeconds = 15 * 60;

/** No limits at all: for in-process callers and tests that must not be throttled by accident. */
export const noRateLimits: RateLimitSettings = { restPerMinute: 0, signInPerAccount: 0, signInPerAddress: 0 };

type Env = Record<string, string | undefined>;

export function rateLimitSettingsFromEnv(env: Env = process.env): RateLimitSettings {
  return {
    redisUrl: env.REDIS_URL || undefined,
    redisKeyPrefix: env.RATE_LIMIT_REDIS_PREFIX || undefined,
    // 10 requests a second on average, with bursts: far above what a script managing keys needs.
    restPerMinute: count(env, "RATE_LIMIT_REST_PER_MINUTE", 600),
    signInPerAccount: count(env, "RATE_LIMIT_SIGNIN_PER_ACCOUNT", 10),
    // Higher than per account: many people may sign in from one office or NAT address.
    signInPerAddress: count(env, "RATE_LIMIT_SIGNIN_PER_ADDRESS", 100),
    // A script with a revoked token gives up long before this; a stranger guessing tokens gets 2 a minute.
    unknownTokensPerAddress: count(env, "RATE_LIMIT_UNKNOWN_TOKENS_PER_ADDRESS", 30),
    // Only keys of the old format minted during a rolling upgrade can be real and unknown here: a gateway's
    // honest traffic hardly ever needs one such lookup a second.
    unknownKeysPerGatewayToken: count(env, "RATE_LIMIT_UNKNOWN_KEYS_PER_GATEWAY_TOKEN", 60),
    // 100 a second on average: a gateway sends one per AI request, so this bounds a leaked token, not a busy
    // gateway; one that needs more gets a raised limit (or a token per gateway instance).
    verificationsPerGatewayToken: count(env, "RATE_LIMIT_VERIFY_PER_GATEWAY_TOKEN", 6_000),
  };
}

function count(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number (0 turns the limit off), not "${raw}".`);
  }
  return value;
}
