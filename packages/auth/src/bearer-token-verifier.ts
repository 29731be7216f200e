import { sha256 } from "@repokeys/crypto";
import type { SqlRunner } from "@repokeys/db";
import type { InvalidationFeed } from "./invalidation-feed";
import { IssuedTokens } from "./issued-tokens";
import { RevocableCache } from "./revocable-cache";

export interface TokenHolder {
  userId: string;
  email: string;
  name: string;
  tokenId: string;
}

interface CachedToken {
  holder: TokenHolder;
  expiresAt: number | null;
}

export interface BearerTokenVerifierOptions {
  /**
   * How long a verified token is trusted without asking the database again. This bounds how late a
   * revocation made on another instance takes effect here when its announcement does not arrive; on the
   * revoking instance `forget` is immediate.
   */
  cacheTtlMs: number;
  /** Revocations announced by other instances (`token`: the token's hash). */
  invalidations?: InvalidationFeed;
  cacheMax?: number;
  /**
   * How long a token that matched nothing (made up, revoked or expired) is answered from memory. A token is
   * 256 random bits, so one that is unknown now was never issued and never will be: the answer cannot go
   * stale, and repeating a bogus token costs no query. Default 60 s, at most `cacheMax` tokens.
   */
  unknownTtlMs?: number;
}

const defaultUnknownTtlMs = 60_000;

/**
 * Resolves personal API tokens to their holder. Tokens are looked up by their SHA-256, so the database
 * never holds a usable token. `lastUsedAt` is stamped at most once a minute.
 */
export class BearerTokenVerifier {
  /** A lookup that was reading the database when a token was revoked must not put it back (its `generation`). */
  private readonly cache: RevocableCache<CachedToken>;
  /** Hashes that matched no live token; the value is unused. */
  private readonly unknown: RevocableCache<true>;
  private readonly issued: IssuedTokens;

  constructor(
    private readonly sql: SqlRunner,
    options: BearerTokenVerifierOptions,
  ) {
    const max = options.cacheMax ?? 10_000;
    this.cache = new RevocableCache({ ttlMs: options.cacheTtlMs, max });
    this.unknown = new RevocableCache({ ttlMs: options.unknownTtlMs ?? defaultUnknownTtlMs, max });
    // Revoked elsewhere is revoked here; what is unknown never becomes valid, so only the cache is flushed.
    options.invalidations?.subscribe("token", {
      forget: (hash) => this.forget(Buffer.from(hash, "base64")),
      forgetAll: () => this.cache.forgetAll(),
    });
    this.issued = new IssuedTokens(
      sql,
      `SELECT "tokenHash" FROM "ApiToken" WHERE "revokedAt" IS NULL AND ("expiresAt" IS NULL OR "expiresAt" > now())`,
    );
  }

  /** Reads which tokens are live now (once, at startup), for `wasIssued`. */
  async loadIssued(): Promise<void> {
    await this.issued.load();
  }

  /** Whether the token is one this process knows was issued (live at startup, or found since): no query. */
  wasIssued(token: string): boolean {
    return this.issued.has(sha256(token).toString("base64"));
  }

  /**
   * What this instance already knows about a token without asking the database: its holder, `null` for a
   * token known to be unknown (or expired), `undefined` when only the database can tell.
   */
  cached(token: string): TokenHolder | null | undefined {
    const cacheKey = sha256(token).toString("base64");
    if (this.unknown.has(cacheKey)) return null;
    const cached = this.cache.get(cacheKey);
    if (!cached) return undefined;
    if (cached.expiresAt === null || cached.expiresAt > Date.now()) return cached.holder;
    this.cache.forget(cacheKey);
    this.unknown.set(cacheKey, true);
    return null;
  }

  async verify(token: string): Promise<TokenHolder | null> {
    const known = this.cached(token);
    if (known !== undefined) return known;
    const hash = sha256(token);
    const cacheKey = hash.toString("base64");
    const generation = this.cache.generation();
    const [row] = await this.sql.query<{
      tokenId: string;
      userId: string;
      email: string;
      name: string;
      expiresAt: Date | null;
      stampDue: boolean;
    }>(
      `SELECT t.id AS "tokenId", u.id AS "userId", u.email, u.name, t."expiresAt",
              (t."lastUsedAt" IS NULL OR t."lastUsedAt" < now() - interval '1 minute') AS "stampDue"
       FROM "ApiToken" t JOIN "User" u ON u.id = t."userId"
       WHERE t."tokenHash" = $1 AND t."revokedAt" IS NULL AND (t."expiresAt" IS NULL OR t."expiresAt" > now())`,
      [hash],
    );
    if (!row) {
      this.unknown.set(cacheKey, true);
      return null;
    }
    if (row.stampDue) {
      // Off the request's path: a minute's precision is plenty, and a failed stamp must not fail the request.
      this.sql.query(`UPDATE "ApiToken" SET "lastUsedAt" = now() WHERE id = $1`, [row.tokenId]).catch(() => {});
    }
    const holder = { tokenId: row.tokenId, userId: row.userId, email: row.email, name: row.name };
    this.issued.add(cacheKey);
    this.cache.set(
      cacheKey,
      { holder, expiresAt: row.expiresAt ? new Date(row.expiresAt).getTime() : null },
      generation,
    );
    return holder;
  }

  /** Drops a token (by its stored hash) from this instance's cache, e.g. right after revoking it. */
  forget(tokenHash: Buffer): void {
    this.cache.forget(tokenHash.toString("base64"));
    this.unknown.set(tokenHash.toString("base64"), true);
  }
}
