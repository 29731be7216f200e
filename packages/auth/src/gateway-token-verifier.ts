import { sha256 } from "@repokeys/crypto";
import type { SqlRunner } from "@repokeys/db";
import { LRUCache } from "lru-cache";

export interface GatewayHolder {
  tokenId: string;
  name: string;
}

export interface GatewayTokenVerifierOptions {
  /** How long a verified gateway token is trusted without asking the database (bounds revocation elsewhere). */
  cacheTtlMs: number;
  cacheMax?: number;
}

/**
 * Resolves gateway tokens (`rkg_…`, made by an operator) by their SHA-256, with the same short cache as
 * personal tokens (BearerTokenVerifier): a gateway sends its token on every verification, so the lookup must
 * not cost a query each time. `lastUsedAt` is stamped at most once a minute, off the request path.
 */
export class GatewayTokenVerifier {
  private readonly cache: LRUCache<string, GatewayHolder> | undefined;
  /** A lookup under way while a token is forgotten must not put it back (see BearerTokenVerifier). */
  private forgetCount = 0;

  constructor(
    private readonly sql: SqlRunner,
    options: GatewayTokenVerifierOptions,
  ) {
    this.cache =
      options.cacheTtlMs > 0 ? new LRUCache({ max: options.cacheMax ?? 1_000, ttl: options.cacheTtlMs }) : undefined;
  }

  async verify(token: string): Promise<GatewayHolder | null> {
    const hash = sha256(token);
    const cacheKey = hash.toString("base64");
    const cached = this.cache?.get(cacheKey);
    if (cached) return cached;
    const forgetCountAtLookup = this.forgetCount;
    const [row] = await this.sql.query<{ tokenId: string; name: string; stampDue: boolean }>(
      `SELECT id AS "tokenId", name,
              ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - interval '1 minute') AS "stampDue"
       FROM "GatewayToken" WHERE "tokenHash" = $1 AND "revokedAt" IS NULL`,
      [hash],
    );
    if (!row) return null;
    if (row.stampDue) {
      this.sql.query(`UPDATE "GatewayToken" SET "lastUsedAt" = now() WHERE id = $1`, [row.tokenId]).catch(() => {});
    }
    const holder = { tokenId: row.tokenId, name: row.name };
    if (this.forgetCount === forgetCountAtLookup) this.cache?.set(cacheKey, holder);
    return holder;
  }

  /** Drops a token (by its stored hash) from this instance's cache, right after revoking it. */
  forget(tokenHash: Buffer): void {
    this.forgetCount++;
    this.cache?.delete(tokenHash.toString("base64"));
  }
}
