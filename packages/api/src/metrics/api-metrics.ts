import type { PoolStats } from "@repokeys/db";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * The instance's Prometheus metrics, in a registry of its own (so that several instances in one process, as
 * in tests, never mix their counts). Every label value comes from a fixed set: route patterns, never paths;
 * results, names and codes, never a key, token, user or repository id. That bounds the series however hostile
 * the traffic (test/metrics.test.ts sends such traffic and counts the series).
 *
 * Hot-path cost: each observation is prom-client's own work on a child bound once per label combination (a
 * label hash and a bucket search, no label object of ours per request): ~0.4–0.6 µs per request's histogram
 * observation and ~0.1 µs per counter increment (a 2-million-call loop on the 2-core development machine),
 * under 2% of the ~47 µs of CPU a cached key verification costs (bench/README.md).
 */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requestDuration = new Histogram({
    name: "repokeys_http_request_duration_seconds",
    help: "API and web requests by route pattern, method and status: how long each took to answer.",
    labelNames: ["route", "method", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly routes = new Map<string, RouteMetrics>();
  private readonly verifications = new Counter({
    name: "repokeys_key_verifications_total",
    help: "Key/secret pairs verified for gateways, by result.",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });
  /** Pre-bound, so the counts exist (at 0) from the start and a verification binds nothing. */
  readonly verified = {
    valid: this.verifications.labels("valid"),
    invalid: this.verifications.labels("invalid"),
    expired: this.verifications.labels("expired"),
  };
  private readonly keyCache = new Counter({
    name: "repokeys_key_cache_lookups_total",
    help: "Verifications answered from this instance's key cache (hit) or by a database lookup (miss); keys refused by their check part or length are neither.",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  readonly keyCacheHit = this.keyCache.labels("hit");
  /** Verifications not counted in a key's usage: past the bound on what an instance holds between flushes. */
  readonly keyUsageDropped = new Counter({
    name: "repokeys_key_usage_dropped_total",
    help: "Verifications left out of keys' usage: the instance already held its bound of 100,000 (key, day) counts not yet written.",
    registers: [this.registry],
  });
  readonly keyCacheMiss = this.keyCache.labels("miss");
  private readonly rateLimitRefusals = new Counter({
    name: "repokeys_rate_limit_refusals_total",
    help: "Requests refused (429) by a rate limit, by the limit's name.",
    labelNames: ["limit"] as const,
    registers: [this.registry],
  });
  private readonly adminCommands = new Counter({
    name: "repokeys_admin_commands_total",
    help: "Admin commands this app ran for the command line (through its admin socket), by command and exit code.",
    labelNames: ["command", "exit_code"] as const,
    registers: [this.registry],
  });
  private processMetrics = false;

  /** The metrics of one route pattern (or one of the fixed names below): call once per route, at setup. */
  route(pattern: string): RouteMetrics {
    let route = this.routes.get(pattern);
    if (!route) {
      route = new RouteMetrics(this.requestDuration, pattern);
      this.routes.set(pattern, route);
    }
    return route;
  }

  /** The counter of one limit's refusals, bound once when the limit is made. */
  rateLimitRefused(limit: string): { inc(): void } {
    const refused = this.rateLimitRefusals.labels(limit);
    refused.inc(0);
    return refused;
  }

  /** `command`: a name from the admin command table, or undefined for a line that named none. */
  adminCommandRan(command: string | undefined, exitCode: number): void {
    this.adminCommands.inc({ command: command ?? "(unknown)", exit_code: String(exitCode) });
  }

  /** Connections of the database pool, read when scraped; PGlite (one connection, no pool) has none. */
  watchPool(stats: () => PoolStats): void {
    new Gauge({
      name: "repokeys_db_pool_connections",
      help: "Database pool connections: in use by a statement, idle, and requests waiting for one; max is the pool's size.",
      labelNames: ["state"] as const,
      registers: [this.registry],
      collect() {
        const now = stats();
        this.set({ state: "in_use" }, now.total - now.idle);
        this.set({ state: "idle" }, now.idle);
        this.set({ state: "waiting" }, now.waiting);
        this.set({ state: "max" }, now.max);
      },
    });
  }

  /** The process's own metrics (CPU, memory, event loop lag, handles): once, for the instance that serves them. */
  collectProcessMetrics(): void {
    if (this.processMetrics) return;
    this.processMetrics = true;
    collectDefaultMetrics({ register: this.registry });
  }
}

/** Route labels that are not a REST route or tRPC procedure: the set stays fixed. */
export const otherRoutes = {
  /** Under an API prefix but matching no route (a 404 or 405), or a tRPC path naming no procedure. */
  unmatched: "(unmatched)",
  /** A tRPC batch of several procedures (their names would multiply the series). */
  trpcBatch: "/api/trpc/(batch)",
  /** Everything the web app serves (pages, assets, sign-in). */
  web: "(web)",
  openApi: "/openapi.json",
} as const;

/** Node's parser accepts dozens of methods; those we do not serve share one label. */
const methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** One route's request durations, a child bound per method and status on first use (at most 8 × statuses). */
export class RouteMetrics {
  private readonly children = new Map<number, { observe(value: number): void }>();

  constructor(
    private readonly histogram: Histogram<"route" | "method" | "status">,
    private readonly pattern: string,
  ) {}

  observe(method: string | undefined, status: number, seconds: number): void {
    const methodIndex = methods.indexOf(method as (typeof methods)[number]);
    const key = (methodIndex + 1) * 1000 + status;
    let child = this.children.get(key);
    if (!child) {
      child = this.histogram.labels(this.pattern, methodIndex === -1 ? "other" : methods[methodIndex]!, String(status));
      this.children.set(key, child);
    }
    child.observe(seconds);
  }
}
