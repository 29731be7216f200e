import type { Database } from "@repokeys/db";
import type { Revocable } from "./revocable-cache";

/** The PostgreSQL channel every instance listens on; payloads are `<kind>:<id>`. */
export const invalidationChannel = "repokeys_invalidation";

/**
 * What a change may make stale in other instances' caches, and the id announced for it: `key`, a key's public
 * key; `token` and `gateway-token`, the token's SHA-256 in base64 (never the token); `session`, a user's id.
 */
export type InvalidationKind = "key" | "token" | "gateway-token" | "session";

/**
 * A SQL expression that announces, when its transaction commits, that the `kind` with id `idSql` changed. Put it
 * in the changing statement itself, so that only committed changes are announced (`announcedCte` does).
 */
export function announceInvalidation(kind: InvalidationKind, idSql: string): string {
  return `pg_notify('${invalidationChannel}', '${kind}:' || ${idSql})`;
}

/**
 * A CTE named `announced` that announces, at commit, the id `idSql` of each row of `from`. A CTE nobody reads is
 * not evaluated: the statement must select from it (`(SELECT announced FROM announced)`, or `FROM …, announced`).
 */
export function announcedCte(kind: InvalidationKind, from: string, idSql: string): string {
  return `announced AS (SELECT count(${announceInvalidation(kind, idSql)}) AS announced FROM ${from})`;
}

/**
 * Hands the announcements of other instances' changes to the caches that hold what they changed. The
 * announcement is an optimisation over each cache's TTL, never a replacement: when the listening connection is
 * down, nothing is announced and the TTL is the bound; when it listens again, what it missed is unknown, so
 * every cache is emptied.
 */
export class InvalidationFeed {
  private readonly subscribers = new Map<InvalidationKind, Revocable[]>();

  subscribe(kind: InvalidationKind, subscriber: Revocable): void {
    this.subscribers.set(kind, [...(this.subscribers.get(kind) ?? []), subscriber]);
  }

  /** One notification's payload; one of an unknown kind (a newer instance's) is ignored. */
  deliver(payload: string): void {
    const colon = payload.indexOf(":");
    if (colon < 0) return;
    const id = payload.slice(colon + 1);
    for (const subscriber of this.subscribers.get(payload.slice(0, colon) as InvalidationKind) ?? [])
      subscriber.forget(id);
  }

  forgetAll(): void {
    for (const subscribers of this.subscribers.values()) for (const subscriber of subscribers) subscriber.forgetAll();
  }

  /** Listens on the database's channel until it closes; resolves once the first attempt to listen is over. */
  listen(db: Database): Promise<void> {
    return db.listen(invalidationChannel, {
      onNotification: (payload) => this.deliver(payload),
      onListening: () => this.forgetAll(),
    });
  }
}
