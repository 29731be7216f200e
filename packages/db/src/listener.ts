import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

export interface ListenHandlers {
  onNotification(payload: string): void;
  /** Each time listening (re)starts: whatever was announced while it was not has been missed. */
  onListening(): void;
}

/** The first retry's delay, doubled while attempts keep failing, up to the last. */
const firstRetryMs = 100;
const maxRetryMs = 5_000;

/**
 * LISTEN on a `pg` client of its own, never a pool's: a pooled connection is handed to other work and back, and
 * a listener must keep its session. When the connection drops (a restart, pg_terminate_backend, a network fault
 * caught by TCP keepalive), it connects again with exponential backoff, for as long as it runs.
 */
export class PostgresListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly loop: Promise<void>;

  constructor(
    private readonly connectionString: string,
    private readonly channel: string,
    private readonly handlers: ListenHandlers,
    firstAttemptOver: () => void,
  ) {
    this.loop = this.run(firstAttemptOver);
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.client?.end().catch(() => {});
    await this.loop;
  }

  private async run(firstAttemptOver: () => void): Promise<void> {
    let delayMs = firstRetryMs;
    while (!this.stopped) {
      const session = await this.session().catch(() => undefined);
      firstAttemptOver();
      if (session) {
        delayMs = firstRetryMs;
        await session.gone;
        await this.client?.end().catch(() => {});
      }
      if (this.stopped) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        sleep(delayMs).then(resolve);
      });
      delayMs = Math.min(delayMs * 2, maxRetryMs);
    }
  }

  /** Connects and listens; resolves, once listening, with a promise that settles when the connection is gone. */
  private async session(): Promise<{ gone: Promise<void> }> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      connectionTimeoutMillis: 5_000,
      // Named, so that an operator (or a test) can find it in pg_stat_activity.
      application_name: `listen ${this.channel}`,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    const gone = new Promise<void>((resolve) => {
      client.once("end", resolve);
      client.on("error", () => resolve());
    });
    client.on("notification", (message) => {
      if (message.channel === this.channel && message.payload !== undefined)
        this.handlers.onNotification(message.payload);
    });
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    if (this.stopped) await client.end().catch(() => {});
    else this.handlers.onListening();
    return { gone };
  }
}
