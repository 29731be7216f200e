import type { MasterKeyring } from "@repokeys/crypto";
import type { Database } from "@repokeys/db";
import type { Logger } from "../logging/logger";
import { type ClaimedDelivery, claimStatement, recordStatement } from "./delivery-claim-sql";
import { keepDeliveriesBounded } from "./delivery-housekeeping";
import { queueExpiringEvents } from "./expiring-events";
import { resolveWebhookTarget, WebhookAddressError } from "./webhook-address";
import { type AttemptOutcome, postWebhook } from "./webhook-request";
import { openWebhookSecret } from "./webhook-secret";
import type { WebhookSettings } from "./webhook-settings";
import { webhookSignatureHeader } from "./webhook-signature";

/**
 * The wait before the next attempt: as long as the delivery has been tried so far (since its event or its
 * resend), at least the base and at most the cap, so the waits double (base, 2·base, 4·base…) and a resend
 * starts again from the base; with jitter (half to all of it) so that many failures do not retry in step.
 */
export function retryDelayMs(settings: WebhookSettings, triedForMs: number): number {
  const delay = Math.min(settings.retryMaxMs, Math.max(settings.retryBaseMs, triedForMs));
  return Math.round(delay / 2 + (Math.random() * delay) / 2);
}

/** The body every attempt of a delivery sends, built from what is stored, so it is the same byte for byte. */
export function webhookBody(delivery: Pick<ClaimedDelivery, "eventId" | "event" | "createdAt" | "payload">): string {
  return JSON.stringify({
    id: delivery.eventId,
    type: delivery.event,
    createdAt: new Date(delivery.createdAt).toISOString(),
    data: delivery.payload,
  });
}

/**
 * Sends the webhook deliveries from the database queue, in every app instance: up to `concurrency` attempts at
 * once, each in a slot of its own that is filled again as soon as its attempt ends (a slow receiver holds its own
 * slot, never the others). Polls every `pollMs`; every `expiringSweepMs` queues the `apikey.expiring` events,
 * trims over-full queues and prunes the log. `stop` aborts attempts in flight (their lease makes them due again)
 * and waits for them.
 */
export class WebhookWorker {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private lastSweep = 0;
  private lastWarning = 0;
  private readonly stopping = new AbortController();
  /** The attempts out, by delivery id. */
  private readonly out = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly keyring: MasterKeyring,
    private readonly logger: Logger,
    readonly settings: WebhookSettings,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Looks for due deliveries now rather than at the next poll (after a resend, or when a slot frees). */
  wake(): void {
    if (this.stopped) return;
    if (this.round) this.again = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.stopping.abort();
    await this.round;
    await Promise.all(this.out.values());
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.startRound(), ms);
    this.timer.unref();
  }

  /** While the database is away every poll fails: one line a minute says so, not one a second. */
  private warn(err: unknown, message: string): void {
    if (Date.now() - this.lastWarning < 60_000) return;
    this.lastWarning = Date.now();
    this.logger.warn({ err }, message);
  }

  private startRound(): void {
    if (this.round || this.stopped) return;
    this.round = this.runRound()
      .catch((err) => this.warn(err, "webhook delivery round failed; trying again at each poll"))
      .finally(() => {
        this.round = undefined;
        if (this.stopped) return;
        this.schedule(this.again ? 0 : this.settings.pollMs);
        this.again = false;
      });
  }

  private async runRound(): Promise<void> {
    if (Date.now() - this.lastSweep >= this.settings.expiringSweepMs) {
      this.lastSweep = Date.now();
      await queueExpiringEvents(this.db.sql);
      const { dropped, expired, pruned } = await keepDeliveriesBounded(this.db.sql, this.settings);
      if (dropped > 0) this.logger.warn({ dropped }, "webhook deliveries dropped: a workspace's queue was full");
      if (expired > 0)
        this.logger.info({ expired }, "webhook deliveries of paused endpoints failed: retry window over");
      if (pruned > 0) this.logger.debug({ pruned }, "webhook delivery log pruned");
    }
    // One workspace gets at most half the slots (of every instance together), so another always finds one.
    const perWorkspace = Math.max(1, Math.floor(this.settings.concurrency / 2));
    for (;;) {
      const free = this.settings.concurrency - this.out.size;
      if (free <= 0 || this.stopped) return;
      const claimed = await this.db.sql.query<ClaimedDelivery>(claimStatement, [
        free,
        this.settings.leaseMs,
        perWorkspace,
      ]);
      for (const delivery of claimed) {
        const attempt = this.attempt(delivery)
          .catch((err) => this.warn(err, "a webhook attempt's outcome could not be recorded; its lease retries it"))
          .finally(() => {
            this.out.delete(delivery.id);
            this.wake();
          });
        this.out.set(delivery.id, attempt);
      }
      if (claimed.length < free) return;
    }
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const startedAt = new Date();
    // The deadline is a timer this attempt holds (not AbortSignal.timeout, whose timer goes with its signal when
    // that is garbage-collected), started before the address lookup so that it bounds the whole attempt.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.settings.timeoutMs);
    const onStop = () => deadline.abort();
    this.stopping.signal.addEventListener("abort", onStop, { once: true });
    let outcome: AttemptOutcome;
    try {
      outcome = await this.send(delivery, deadline.signal);
    } finally {
      clearTimeout(timer);
      this.stopping.signal.removeEventListener("abort", onStop);
    }
    if (this.stopping.signal.aborted) return;
    const delivered =
      outcome.error === null && outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    await this.db.sql.query(recordStatement, [
      delivery.id,
      delivery.claimToken,
      retryDelayMs(this.settings, Date.now() - new Date(delivery.retryFrom).getTime()),
      this.settings.retryWindowMs,
      outcome.statusCode,
      outcome.latencyMs,
      outcome.error,
      startedAt,
      delivered,
      this.settings.retryBaseMs,
      this.settings.retryMaxMs,
      this.settings.pauseAfterFailures,
    ]);
  }

  private async send(delivery: ClaimedDelivery, signal: AbortSignal): Promise<AttemptOutcome> {
    const secrets: string[] = [];
    try {
      secrets.push(openWebhookSecret(this.keyring, delivery, delivery.endpointId));
      if (delivery.previousSecretCiphertext && delivery.previousMasterKeyVersion !== null) {
        const previous = {
          secretCiphertext: delivery.previousSecretCiphertext,
          masterKeyVersion: delivery.previousMasterKeyVersion,
        };
        secrets.push(openWebhookSecret(this.keyring, previous, delivery.endpointId));
      }
    } catch (err) {
      this.logger.error({ err, endpointId: delivery.endpointId }, "a webhook endpoint's secret does not decrypt");
      return {
        statusCode: null,
        latencyMs: 0,
        error: "The endpoint's signing secret could not be decrypted (the server log says why).",
      };
    }
    let target: Awaited<ReturnType<typeof resolveWebhookTarget>>;
    try {
      target = await resolveWebhookTarget(delivery.url, this.settings.allowPrivate, { signal, dns: this.settings });
    } catch (err) {
      if (signal.aborted) return { statusCode: null, latencyMs: 0, error: "Timed out looking up the endpoint's host." };
      const error = err instanceof WebhookAddressError ? err.message : "The endpoint's host could not be checked.";
      return { statusCode: null, latencyMs: 0, error };
    }
    const body = webhookBody(delivery);
    const headers = {
      "content-type": "application/json",
      "user-agent": "repokeys-webhooks/1",
      "repokeys-event-id": delivery.eventId,
      "repokeys-event": delivery.event,
      "repokeys-delivery-attempt": String(delivery.attempts),
      "repokeys-signature": webhookSignatureHeader(secrets, Math.floor(Date.now() / 1000), body),
    };
    return postWebhook(target, headers, body, signal);
  }
}
