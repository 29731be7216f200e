import { LRUCache } from "lru-cache";

/** What a feed of changes made elsewhere (InvalidationFeed) calls: forget one id, or everything. */
export interface Revocable {
  forget(id: string): void;
  forgetAll(): void;
}

export interface RevocableCacheOptions {
  /** How long an entry is trusted; 0 turns the cache off (nothing is kept). */
  ttlMs: number;
  max: number;
}

/**
 * What every credential cache here is: a bounded LRU whose entries live `ttlMs` at most (the bound on how late a
 * change made elsewhere is seen when no announcement arrives), and can be forgotten one by one or all at once.
 * A lookup that read the database before a `forget` must not put the old answer back: it takes `generation()`
 * before reading, and `set(key, value, generation)` stores only if nothing was forgotten since.
 */
export class RevocableCache<V extends NonNullable<unknown>> implements Revocable {
  private readonly entries: LRUCache<string, V> | undefined;
  private forgets = 0;

  constructor(options: RevocableCacheOptions) {
    this.entries = options.ttlMs > 0 ? new LRUCache({ max: options.max, ttl: options.ttlMs }) : undefined;
  }

  get(key: string): V | undefined {
    return this.entries?.get(key);
  }

  has(key: string): boolean {
    return this.entries?.has(key) ?? false;
  }

  /** Taken before a lookup, handed to `set` after it. */
  generation(): number {
    return this.forgets;
  }

  /** Stores `value`, unless `since` is given and something was forgotten after it was taken. */
  set(key: string, value: V, since?: number): void {
    if (since === undefined || since === this.forgets) this.entries?.set(key, value);
  }

  forget(key: string): void {
    this.forgets++;
    this.entries?.delete(key);
  }

  forgetAll(): void {
    this.forgets++;
    this.entries?.clear();
  }
}
