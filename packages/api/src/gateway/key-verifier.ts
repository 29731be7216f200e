import { type InvalidationFeed, RevocableCache } from "@repokeys/auth";
import { type CredentialCheck, constantTimeEqual, legacyCredentialLength, sha256 } from "@repokeys/crypto";
import type { SqlRunner } from "@repokeys/db";
import { LRUCache } from "lru-cache";
import { RateLimitedError } from "../errors/rate-limited";
import type { Logger } from "../logging/logger";
import type { ApiMetrics } from "../metrics/api-metrics";
import type { RateLimit } from "../rate-limit/rate-limits";
import type { AiType } from "../schemas/ai-api-key";
import type { KeyUsage } from "./key-usage";

/** What a gateway learns about a key/secret pair. INVALID covers unknown, wrong secret and deleted alike. */
export type KeyVerdict =
  | { valid: true; apikeyId: string; repoId: string; workspaceId: string; aiType: AiType; name: string }
  | { valid: false; code: "INVALID" | "EXPIRED" };

interface KnownKey {
  apikeyId: string;
  repoId: string;
  workspaceId: string;
  aiType: AiType;
  name: string;
  secretHash: Buffer;
  /** epoch ms; null: never expires */
  expiresAt: number | null;
  deleted: boolean;
}

export interface KeyVerifierOptions {
  /**
   * How long a key's row is trusted without reading it again: the bound on how late a delete, rotation or
   * rename made on another instance is seen here when no announcement arrives. 0 turns the cache off.
   */
  cacheTtlMs: number;
  /** Deletes and rotations announced by other instances (`key`: the public key). */
  invalidations?: InvalidationFeed;
  cacheMax?: number;
  /** Tells a key we minted from a made-up one without a lookup. */
  credentials: CredentialCheck;
  /**
   * Lookups of old-format keys this instance does not know, per gateway token: counted before the lookup and
   * given back when the key exists. Without it they are not limited.
   */
  unknownKeys?: RateLimit;
  /** Counts verdicts and cache hits and misses; without it nothing is counted. */
  metrics?: Pick<ApiMetrics, "verified" | "keyCacheHit" | "keyCacheMiss">;
  /** Counts each live key's verifications, valid or refused, per day; without it nothing is counted. */
  usage?: Pick<KeyUsage, "count">;
}

/** Last use is recorded with a minute's precision: one write per key per minute at most. */
const stampIntervalMs = 60_000;

/** Longer than any key or secret we issue (keys are 38 characters, 27 before check parts); anything longer is INVALID without a lookup. */
const maxKeyLength = 64;
const maxSecretLength = 128;

const lookupStatement = `
  SELECT k.id, k."repoId", r."workspaceId", k."aiType"::text AS "aiType", k.name, k."secretHash", k."expiresAt",
         k."deletedAt" IS NOT NULL AS deleted
  FROM "RepoAiApiKey" k JOIN "Repo" r ON r.id = k."repoId"
  WHERE k.key = $1`;

// Across instances, the condition turns a stamp another instance already wrote this minute into a no-op.
// A stamp is not a change of the key: its version stays (the list's digest reads `lastUsedAt` itself).
const stampStatement = `
  UPDATE "RepoAiApiKey" SET "lastUsedAt" = now()
  WHERE id = $1 AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - interval '1 minute')`;

/**
 * Answers the gateway's question "is this key/secret pair live?" on every AI request, so it reads a key's
 * row at most once per `cacheTtlMs` and writes nothing on the request path. The secret is compared by its
 * SHA-256 in constant time; the stored secret is never decrypted for this. What may cost a lookup is bounded:
 * - a key whose check part is wrong was never minted: INVALID, with no lookup;
 * - a key with a right check part is real, so it is always looked up (nobody else's flood can refuse it);
 * - a key of the old format (no check part) is looked up if this instance knew it at startup or found it since;
 *   otherwise (only a rolling upgrade's older instances still mint them) its lookup counts against the
 *   gateway token's `unknownKeys` limit, and past it the gateway gets a 429: "cannot tell now", never a false
 *   INVALID for a key that may be real.
 * Keys that matched nothing are remembered in a separate, smaller cache, so that repeats cost no query and
 * never evict live keys (keys are 144 random bits: a key asked for before it was created does not happen).
 */
export class KeyVerifier {
  /** A lookup under way while a key is forgotten must not put the old row back (its `generation`). */
  private readonly known: RevocableCache<KnownKey>;
  private readonly unknown: RevocableCache<true>;
  /** Keys whose last use this instance stamped within the minute. */
  private readonly stamped = new LRUCache<string, true>({ max: 100_000, ttl: stampIntervalMs });
  private readonly credentials: CredentialCheck;
  private readonly unknownKeys: RateLimit | undefined;
  private readonly metrics: KeyVerifierOptions["metrics"];
  private readonly usage: KeyVerifierOptions["usage"];
  /** Old-format keys known to exist: not deleted at startup, or found since. */
  private readonly legacyKeys = new Set<string>();

  constructor(
    private readonly sql: SqlRunner,
    private readonly logger: Logger,
    options: KeyVerifierOptions,
  ) {
    this.credentials = options.credentials;
    this.unknownKeys = options.unknownKeys;
    this.metrics = options.metrics;
    this.usage = options.usage;
    const max = options.cacheMax ?? 100_000;
    this.known = new RevocableCache({ ttlMs: options.cacheTtlMs, max });
    this.unknown = new RevocableCache({ ttlMs: options.cacheTtlMs, max: Math.max(1, Math.floor(max / 10)) });
    options.invalidations?.subscribe("key", this.known);
    options.invalidations?.subscribe("key", this.unknown);
  }

  /** Reads the old-format keys that exist now (once, at startup). */
  async loadLegacyKeys(): Promise<void> {
    const rows = await this.sql.query<{ key: string }>(
      `SELECT key FROM "RepoAiApiKey" WHERE "deletedAt" IS NULL AND length(key) = $1`,
      [legacyCredentialLength("publicKey")],
    );
    for (const row of rows) this.legacyKeys.add(row.key);
  }

  /** `gatewayTokenId`: whose budget an unknown old-format key spends. */
  async verify(key: string, secret: string, gatewayTokenId: string): Promise<KeyVerdict> {
    // Hashed whatever happens next, so an unknown key takes as long to refuse as a wrong secret.
    const presented = sha256(secret);
    const row =
      key.length <= maxKeyLength && secret.length <= maxSecretLength ? await this.find(key, gatewayTokenId) : null;
    const secretMatches = constantTimeEqual(presented, row ? row.secretHash : Buffer.alloc(presented.length));
    // The secret is checked before anything else is looked at or written: without it, nobody learns whether a key
    // exists, expired or was deleted.
    // A live key's refusals count in its usage too: its owner sees a wrong secret or an expired key still in use.
    if (!row || row.deleted || !secretMatches) {
      this.metrics?.verified.invalid.inc();
      if (row && !row.deleted) this.usage?.count(row.apikeyId, "refused");
      return { valid: false, code: "INVALID" };
    }
    if (row.expiresAt !== null && row.expiresAt <= Date.now()) {
      this.metrics?.verified.expired.inc();
      this.usage?.count(row.apikeyId, "refused");
      return { valid: false, code: "EXPIRED" };
    }
    this.metrics?.verified.valid.inc();
    this.usage?.count(row.apikeyId, "valid");
    this.stampLastUse(row.apikeyId);
    return {
      valid: true,
      apikeyId: row.apikeyId,
      repoId: row.repoId,
      workspaceId: row.workspaceId,
      aiType: row.aiType,
      name: row.name,
    };
  }

  /** Drops a key from this instance's cache, right after it was deleted, rotated or renamed here. */
  forget(key: string): void {
    this.known.forget(key);
    this.unknown.forget(key);
  }

  private async find(key: string, gatewayTokenId: string): Promise<KnownKey | null> {
    const cached = this.known.get(key);
    if (cached || this.unknown.has(key)) {
      this.metrics?.keyCacheHit.inc();
      return cached ?? null;
    }
    const form = this.credentials.form("publicKey", key);
    if (form === "forged") return null;
    if (form === "checked" || this.legacyKeys.has(key)) return this.lookup(key);
    const verdict = (await this.unknownKeys?.consume(gatewayTokenId)) ?? { allowed: true };
    if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds, this.unknownKeys!.description);
    const found = await this.lookup(key);
    if (found) {
      this.legacyKeys.add(key);
      await this.unknownKeys?.reward(gatewayTokenId);
    }
    return found;
  }

  private async lookup(key: string): Promise<KnownKey | null> {
    this.metrics?.keyCacheMiss.inc();
    const generations = { known: this.known.generation(), unknown: this.unknown.generation() };
    const [row] = await this.sql.query<{
      id: string;
      repoId: string;
      workspaceId: string;
      aiType: AiType;
      name: string;
      secretHash: Uint8Array;
      expiresAt: Date | null;
      deleted: boolean;
    }>(lookupStatement, [key]);
    const found: KnownKey | null = row
      ? {
          apikeyId: row.id,
          repoId: row.repoId,
          workspaceId: row.workspaceId,
          aiType: row.aiType,
          name: row.name,
          secretHash: Buffer.from(row.secretHash),
          expiresAt: row.expiresAt ? new Date(row.expiresAt).getTime() : null,
          deleted: row.deleted,
        }
      : null;
    if (found) this.known.set(key, found, generations.known);
    else this.unknown.set(key, true, generations.unknown);
    return found;
  }

  /** Off the request path: the verification has its answer already, and a failed stamp must not change it. */
  private stampLastUse(apikeyId: string): void {
    if (this.stamped.has(apikeyId)) return;
    this.stamped.set(apikeyId, true);
    this.sql.query(stampStatement, [apikeyId]).catch((err: unknown) => {
      this.logger.warn({ err, apikeyId }, "could not record a key's last use");
    });
  }
}
