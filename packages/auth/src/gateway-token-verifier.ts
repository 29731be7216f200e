import { sha256 } from "@repokeys/crypto";
import type { SqlRunner } from "@repokeys/db";
import type { InvalidationFeed } from "./invalidation-feed";
import { IssuedTokens } from "./issued-tokens";
import { RevocableCache } from "./revocable-cache";

export interface GatewayHolder {
  tokenId: string;
  name: string;
}

export interface GatewayTokenVerifierOptions {
  /** How long a verified gateway token is trusted without asking the database (bounds revocation elsewhere). */
  cacheTtlMs: number;
  cacheMax?: number;
  /** How long a token that matched nothing is answered from memory (default 60 s, at most 10,000 tokens). */
  unknownTtlMs?: number;
  /** Revocations announced by other instances (`gateway-token`: the token's hash). */
  invalidations?: InvalidationFeed;
}

/**
 * Resolves gateway tokens (`rkg_…`, made by an operator) by their SHA-256, with the same short cache as
 * personal tokens (BearerTokenVerifier): a gateway sends its token on every verification, so the lookup must
 * not cost a query each time. Tokens that matched nothing are remembered too, so replaying a revoked one
 * costs no query. `lastUsedAt` is stamped at most once a minute, off the request path.
 */
export class GatewayTokenVerifier {
  /** A lookup under way while a token is forgotten must not put it back (its `generation`). */
  private readonly cache: RevocableCache<GatewayHolder>;
  /** Hashes that matched no live token; the value is unused. */
  private readonly unknown: RevocableCache<true>;
  private readonly issued: IssuedTokens;
  /**
   * Lookups under way, by hash: when a busy gateway's cached token expires, its concurrent requests share one
   * lookup instead of each making its own. Holds only what is in flight, so it is bounded by the concurrency.
   */
  private readonly inFlight = new Map<string, Promise<GatewayHolder | null>>();

  constructor(
    private readonly sql: SqlRunner,
    options: GatewayTokenVerifierOptions,
  ) {
    this.cache = new RevocableCache({ ttlMs: options.cacheTtlMs, max: options.cacheMax ?? 1_000 });
    this.unknown = new RevocableCache({ ttlMs: options.unknownTtlMs ?? 60_000, max: 10_000 });
    // As for personal tokens: `forget` marks the token unknown, so no request joins a lookup still in flight.
    options.invalidations?.subscribe("gateway-token", {
      forget: (hash) => this.forget(Buffer.from(hash, "base64")),
      forgetAll: () => this.cache.forgetAll(),
    });
    this.issued = new IssuedTokens(sql, `SELECT "tokenHash" FROM "GatewayToken" WHERE "revokedAt" IS NULL`);
  }

  /** Reads which tokens are live now (once, at startup), for `wasIssued`. */
  async loadIssued(): Promise<void> {
    await this.issued.load();
  }

  /** Whether the token is one this process knows was issued (live at startup, or found since): no query. */
  wasIssued(token: string): boolean {
    return this.issued.has(sha256(token).toString("base64"));
  }

  /** The holder, `null` for a token known to match nothing, `undefined` when only the database can tell. */
  cached(token: string): GatewayHolder | null | undefined {
    const cacheKey = sha256(token).toString("base64");
    if (this.unknown.has(cacheKey)) return null;
    return this.cache.get(cacheKey);
  }

  async verify(token: string): Promise<GatewayHolder | null> {
    const known = this.cached(token);
    if (known !== undefined) return known;
    const hash = sha256(token);
    const cacheKey = hash.toString("base64");
    const pending = this.inFlight.get(cacheKey);
    if (pending) return pending;
    const lookup = this.lookup(hash, cacheKey).finally(() => this.inFlight.delete(cacheKey));
    this.inFlight.set(cacheKey, lookup);
    return lookup;
  }

  private async lookup(hash: Buffer, cacheKey: string): Promise<GatewayHolder | null> {
    const generation = this.cache.generation();
    const [row] = await this.sql.query<{ tokenId: string; name: string; stampDue: boolean }>(
      `SELECT id AS "tokenId", name,
              ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - interval '1 minute') AS "stampDue"
       FROM "GatewayToken" WHERE "tokenHash" = $1 AND "revokedAt" IS NULL`,
      [hash],
    );
    if (!row) {
      this.unknown.set(cacheKey, true);
      return null;
    }
    if (row.stampDue) {
      this.sql.query(`UPDATE "GatewayToken" SET "lastUsedAt" = now() WHERE id = $1`, [row.tokenId]).catch(() => {});
    }
    const holder = { tokenId: row.tokenId, name: row.name };
    this.issued.add(cacheKey);
    this.cache.set(cacheKey, holder, generation);
    return holder;
  }

  /** Drops a token (by its stored hash) from this instance's cache, right after revoking it. */
  forget(tokenHash: Buffer): void {
    this.cache.forget(tokenHash.toString("base64"));
    this.unknown.set(tokenHash.toString("base64"), true);
  }
}
