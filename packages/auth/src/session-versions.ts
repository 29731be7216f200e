import type { SqlRunner } from "@repokeys/db";
import { announcedCte, type InvalidationFeed } from "./invalidation-feed";
import { RevocableCache } from "./revocable-cache";

export interface SessionVersionsOptions {
  /**
   * How long a user's session version is trusted without asking the database again: how late a sign-out on
   * another instance takes effect here when its announcement does not arrive (on the signing-out instance it is
   * immediate). The same bound as tokens'.
   */
  cacheTtlMs: number;
  cacheMax?: number;
  /** Sign-outs announced by other instances (`session`: the user's id). */
  invalidations?: InvalidationFeed;
}

const endAllStatement = `
  WITH ended AS (UPDATE "User" SET "sessionVersion" = "sessionVersion" + 1 WHERE id = $1 RETURNING id)  , ${announcedCte("session", "ended", "ended.id")}
  SELECT announced FROM announced`;

/**
 * Web sessions are stateless JWTs; what makes signing out end them everywhere is the user's `sessionVersion`. A
 * session carries the version it began with and is valid only while that is still the user's version; signing out
 * raises it, which ends every session of the user at once, on every device.
 */
export class SessionVersions {
  /** A read that overlapped an `endAll` must not cache the old version (its `generation`). */
  private readonly cache: RevocableCache<number>;

  constructor(
    private readonly sql: SqlRunner,
    options: SessionVersionsOptions,
  ) {
    this.cache = new RevocableCache({ ttlMs: options.cacheTtlMs, max: options.cacheMax ?? 10_000 });
    options.invalidations?.subscribe("session", this.cache);
  }

  /** The version a new session of the user begins with; null when there is no such user. */
  async current(userId: string): Promise<number | null> {
    const cached = this.cache.get(userId);
    if (cached !== undefined) return cached;
    const generation = this.cache.generation();
    const [row] = await this.sql.query<{ sessionVersion: number }>(
      `SELECT "sessionVersion" FROM "User" WHERE id = $1`,
      [userId],
    );
    if (!row) return null;
    this.cache.set(userId, row.sessionVersion, generation);
    return row.sessionVersion;
  }

  /** Whether a session of the user that began with `version` is still valid (a missing version never is). */
  async isCurrent(userId: string, version: unknown): Promise<boolean> {
    return typeof version === "number" && version === (await this.current(userId));
  }

  /** Ends every session of the user: on this instance now, on the others when they hear of it (or `cacheTtlMs`). */
  async endAll(userId: string): Promise<void> {
    await this.sql.query(endAllStatement, [userId]);
    this.cache.forget(userId);
  }
}
