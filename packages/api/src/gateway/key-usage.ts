import type { SqlRunner } from "@repokeys/db";
import type { Logger } from "../logging/logger";
import type { ApiMetrics } from "../metrics/api-metrics";

/** valid: the pair was right and the key live; refused: a live key's wrong secret, or the key expired. */
export type UsageOutcome = "valid" | "refused";

interface Counts {
  valid: number;
  refused: number;
}

export interface KeyUsageOptions {
  /** How often the counts are written (`USAGE_FLUSH_INTERVAL_MS`): the most a crash can lose. */
  flushIntervalMs: number;
  /**
   * The most (key, day) pairs held between flushes. Past it a verification of a key not yet held is not counted
   * (and counted in `repokeys_key_usage_dropped_total`); keys held go on counting.
   */
  maxPending?: number;
  metrics?: Pick<ApiMetrics, "keyUsageDropped">;
}

export const defaultMaxPendingUsage = 100_000;

/**
 * Adds one flush's counts to each key's daily row, in one statement. Keys deleted for good since (their
 * repository was) are left out by the join; one deleted between the join and the insert fails the statement,
 * whose counts the next flush then writes without it. Rows go in (key, day) order, so that two instances
 * flushing the same keys lock their rows in the same order and cannot deadlock.
 */
const flushStatement = `
  INSERT INTO "KeyUsageDay" ("keyId", day, valid, refused)
  SELECT u.id, u.day, u.valid, u.refused
  FROM unnest($1::text[], $2::date[], $3::bigint[], $4::bigint[]) AS u(id, day, valid, refused)
  JOIN "RepoAiApiKey" k ON k.id = u.id
  ORDER BY u.id, u.day
  ON CONFLICT ("keyId", day) DO UPDATE
  SET valid = "KeyUsageDay".valid + EXCLUDED.valid, refused = "KeyUsageDay".refused + EXCLUDED.refused`;

const dayMs = 86_400_000;

/**
 * Verifications per key and UTC day, counted in memory (a map increment on the verify path, no write) and
 * added to the database every `flushIntervalMs` and on `close`. A failed flush puts its counts back, so a
 * transient failure loses nothing; what is held stays under `maxPending` (key, day) pairs whatever happens.
 * A crash loses what was counted since the last flush.
 */
export class KeyUsage {
  /** UTC day (YYYY-MM-DD) → key id → counts since the last flush. */
  private pending = new Map<string, Map<string, Counts>>();
  private held = 0;
  private today: Map<string, Counts> | undefined;
  private todayEndsAt = 0;
  private readonly maxPending: number;
  private readonly metrics: KeyUsageOptions["metrics"];
  /** Flushes run one after another: each writes what was counted before it started. */
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sql: SqlRunner,
    private readonly logger: Logger,
    private readonly options: KeyUsageOptions,
  ) {
    this.maxPending = options.maxPending ?? defaultMaxPendingUsage;
    this.metrics = options.metrics;
  }

  /** On the verify path: one clock read and a map increment (bench/README.md gives its cost). */
  count(apikeyId: string, outcome: UsageOutcome): void {
    const now = Date.now();
    if (now >= this.todayEndsAt || !this.today) this.turnDay(now);
    let counts = this.today!.get(apikeyId);
    if (!counts) {
      if (this.held >= this.maxPending) {
        this.metrics?.keyUsageDropped.inc();
        return;
      }
      counts = { valid: 0, refused: 0 };
      this.today!.set(apikeyId, counts);
      this.held++;
    }
    counts[outcome]++;
  }

  /** Writes every count made before this call; rejects if the write fails (the counts are kept for the next). */
  flush(): Promise<void> {
    const run = this.flushing.then(() => this.write());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  /** Flushes every `flushIntervalMs` until `close`; the timer never keeps the process alive. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.flush().catch((err: unknown) => {
        this.logger.warn({ err, held: this.held }, "could not record key usage; the counts are kept for the next try");
      });
    }, this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** On shutdown: stops the timer and writes what is held. A failure is logged; those counts are lost. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    try {
      await this.flush();
    } catch (err) {
      this.logger.error({ err, held: this.held }, "could not record key usage on shutdown; those counts are lost");
    }
  }

  private turnDay(now: number): void {
    const day = new Date(now).toISOString().slice(0, 10);
    this.todayEndsAt = (Math.floor(now / dayMs) + 1) * dayMs;
    let counts = this.pending.get(day);
    if (!counts) {
      counts = new Map();
      this.pending.set(day, counts);
    }
    this.today = counts;
  }

  private async write(): Promise<void> {
    if (this.held === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.held = 0;
    this.today = undefined;
    const ids: string[] = [];
    const days: string[] = [];
    const valid: number[] = [];
    const refused: number[] = [];
    for (const [day, keys] of batch) {
      for (const [id, counts] of keys) {
        ids.push(id);
        days.push(day);
        valid.push(counts.valid);
        refused.push(counts.refused);
      }
    }
    try {
      await this.sql.query(flushStatement, [ids, days, valid, refused]);
    } catch (err) {
      this.putBack(batch, ids.length);
      throw err;
    }
  }

  /** A failed batch's counts, added to what was counted since; past `maxPending`, the newest pairs give way. */
  private putBack(batch: Map<string, Map<string, Counts>>, batchSize: number): void {
    const since = this.pending;
    this.pending = batch;
    this.held = batchSize;
    this.today = undefined;
    for (const [day, keys] of since) {
      const into = batch.get(day) ?? new Map<string, Counts>();
      batch.set(day, into);
      for (const [id, counts] of keys) {
        const held = into.get(id);
        if (held) {
          held.valid += counts.valid;
          held.refused += counts.refused;
        } else if (this.held < this.maxPending) {
          into.set(id, counts);
          this.held++;
        } else {
          this.metrics?.keyUsageDropped.inc(counts.valid + counts.refused);
        }
      }
    }
  }
}
