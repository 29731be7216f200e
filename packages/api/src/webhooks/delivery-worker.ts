import type { MasterKeyring } from "@repokeys/crypto";
import type { Database } from "@repokeys/db";
import type { Logger } from "../logging/logger";
import { queueExpiringEvents } from "./expiring-events";
import { resolveWebhookTarget, WebhookAddressError } from "./webhook-address";
import { type AttemptOutcome, postWebhook } from "./webhook-request";
import { openWebhookSecret } from "./webhook-secret";
import type { WebhookSettings } from "./webhook-settings";
import { webhookSignatureHeader } from "./webhook-signature";

/** Deliveries one instance sends at once. */
const batchSize = 10;

interface ClaimedDelivery extends Record<string, unknown> {
  id: string;
  endpointId: string;
  eventId: string;
  event: string;
  payload: unknown;
  attempts: number;
  retryFrom: Date | string;
  createdAt: Date | string;
  url: string;
  secretCiphertext: Uint8Array;
  masterKeyVersion: number;
  /** The rotated-out secret while it still signs, else null. */
  previousSecretCiphertext: Uint8Array | null;
  previousMasterKeyVersion: number | null;
}

/**
 * Claims due deliveries: each instance takes rows no other holds (SKIP LOCKED), counts the attempt and moves
 * `nextAttemptAt` to the end of its lease, all at commit. So two instances never send one attempt at once, and
 * one killed mid-attempt leaves the delivery due again when the lease ends: at least once, never lost.
 */
const claimStatement = `
  WITH due AS (
    SELECT d.id FROM "WebhookDelivery" d
    WHERE d."nextAttemptAt" <= now()
    ORDER BY d."nextAttemptAt"
    LIMIT $1
    FOR UPDATE SKIP LOCKED)
  UPDATE "WebhookDelivery" d
  SET attempts = d.attempts + 1, "nextAttemptAt" = now() + make_interval(secs => $2::double precision / 1000)
  FROM due, "WebhookEndpoint" e
  WHERE d.id = due.id AND e.id = d."endpointId"
  RETURNING d.id, d."endpointId", d."eventId", d.event, d.payload, d.attempts, d."retryFrom", d."createdAt",
            e.url, e."secretCiphertext", e."masterKeyVersion",
            CASE WHEN e."previousSecretExpiresAt" > now() THEN e."previousSecretCiphertext" END AS "previousSecretCiphertext",
            CASE WHEN e."previousSecretExpiresAt" > now() THEN e."previousMasterKeyVersion" END AS "previousMasterKeyVersion"`;

/**
 * An attempt's outcome, only if the delivery is still this attempt's (a resend or another instance after a
 * lapsed lease may have taken it since): delivered; or retried after `$3` ms unless that is past the retry
 * window, then failed.
 */
const recordStatement = `
  WITH outcome AS (
    SELECT $9::boolean AS delivered,
           now() + make_interval(secs => $3::double precision / 1000) AS next_at)
  UPDATE "WebhookDelivery" d
  SET status = CASE WHEN outcome.delivered THEN 'delivered'
                    WHEN outcome.next_at > d."retryFrom" + make_interval(secs => $4::double precision / 1000) THEN 'failed'
                    ELSE 'retrying' END,
      "nextAttemptAt" = CASE WHEN outcome.delivered
                               OR outcome.next_at > d."retryFrom" + make_interval(secs => $4::double precision / 1000)
                             THEN NULL ELSE outcome.next_at END,
      "lastStatusCode" = $5, "lastLatencyMs" = $6, "lastError" = $7, "lastAttemptAt" = $8
  FROM outcome
  WHERE d.id = $1 AND d.attempts = $2`;

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
 * Sends the webhook deliveries from the database queue, in every app instance: polls every `pollMs`, sends what
 * is due, and queues the `apikey.expiring` events every `expiringSweepMs`. `stop` aborts attempts in flight
 * (their lease makes them due again) and waits for the round to end.
 */
export class WebhookWorker {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private lastSweep = 0;
  private lastWarning = 0;
  private readonly stopping = new AbortController();

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

  /** Looks for due deliveries now rather than at the next poll (after a resend). */
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
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.startRound(), ms);
    this.timer.unref();
  }

  private startRound(): void {
    if (this.round || this.stopped) return;
    this.round = this.runRound()
      .catch((err) => {
        // While the database is away every poll fails: one line a minute says so, not one a second.
        if (Date.now() - this.lastWarning < 60_000) return;
        this.lastWarning = Date.now();
        this.logger.warn({ err }, "webhook delivery round failed; trying again at each poll");
      })
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
    }
    for (;;) {
      const claimed = await this.db.sql.query<ClaimedDelivery>(claimStatement, [batchSize, this.settings.leaseMs]);
      await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
      if (claimed.length < batchSize || this.stopped) return;
    }
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const startedAt = new Date();
    const outcome = await this.send(delivery);
    if (this.stopping.signal.aborted) return;
    const delivered =
      outcome.error === null && outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    await this.db.sql.query(recordStatement, [
      delivery.id,
      delivery.attempts,
      retryDelayMs(this.settings, Date.now() - new Date(delivery.retryFrom).getTime()),
      this.settings.retryWindowMs,
      outcome.statusCode,
      outcome.latencyMs,
      outcome.error,
      startedAt,
      delivered,
    ]);
  }

  private async send(delivery: ClaimedDelivery): Promise<AttemptOutcome> {
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
      target = await resolveWebhookTarget(delivery.url, this.settings.allowPrivate);
    } catch (err) {
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
    const signal = AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.settings.timeoutMs)]);
    return postWebhook(target, headers, body, signal);
  }
}
