import type { SqlRunner } from "@repokeys/db";
import type { WebhookSettings } from "./webhook-settings";

/** Rows one statement of the housekeeping changes, and statements one sweep runs of each kind. */
const batchRows = 1_000;
const batchesPerSweep = 10;

/**
 * A workspace's queue past `$1` deliveries: the newest beyond it (not out in an attempt) are not sent, failed
 * saying why, and counted on their endpoint (`droppedDeliveries`, shown in the web app and the endpoint's answer).
 * At most `$2` a statement.
 */
const trimStatement = `
  WITH queued AS (
    SELECT d.id, d."claimToken",
           row_number() OVER (PARTITION BY e."workspaceId" ORDER BY d."createdAt", d.id) AS place
    FROM "WebhookDelivery" d JOIN "WebhookEndpoint" e ON e.id = d."endpointId"
    WHERE d."nextAttemptAt" IS NOT NULL AND e."pausedAt" IS NULL),
  dropped AS (
    UPDATE "WebhookDelivery" d
    SET status = 'failed', "nextAttemptAt" = NULL,
        "lastError" = 'Not sent: the workspace had ' || $1::int || ' deliveries waiting already.'
    FROM (SELECT id FROM queued WHERE place > $1 AND "claimToken" IS NULL ORDER BY place DESC LIMIT $2) over
    WHERE d.id = over.id AND d."nextAttemptAt" IS NOT NULL AND d."claimToken" IS NULL
    RETURNING d."endpointId"),
  counted AS (
    UPDATE "WebhookEndpoint" e SET "droppedDeliveries" = e."droppedDeliveries" + per_endpoint.n
    FROM (SELECT "endpointId", count(*)::int AS n FROM dropped GROUP BY "endpointId") per_endpoint
    WHERE e.id = per_endpoint."endpointId")
  SELECT count(*)::int AS n FROM dropped`;

/**
 * Waiting deliveries past their retry window (`$1` ms after their event or resend) that no attempt holds: a
 * paused endpoint's, which no attempt records an outcome for. Failed, saying why, at most `$2` a statement.
 */
const expireStatement = `
  WITH expired AS (
    UPDATE "WebhookDelivery" d
    SET status = 'failed', "nextAttemptAt" = NULL,
        "lastError" = 'Not sent: its endpoint was paused for the whole retry window.'
    FROM (SELECT d.id FROM "WebhookDelivery" d JOIN "WebhookEndpoint" e ON e.id = d."endpointId"
          WHERE e."pausedAt" IS NOT NULL AND d."nextAttemptAt" IS NOT NULL AND d."claimToken" IS NULL
            AND d."retryFrom" < now() - make_interval(secs => $1::double precision / 1000)
          LIMIT $2) old
    WHERE d.id = old.id
    RETURNING 1)
  SELECT count(*)::int AS n FROM expired`;

/**
 * Delivered and failed deliveries older than `$1` days (by their event and their last attempt, so a recent
 * resend is kept), oldest first, at most `$2` a statement.
 */
const pruneStatement = `
  WITH old AS (
    SELECT d.id FROM "WebhookDelivery" d
    WHERE d."createdAt" < now() - make_interval(days => $1) AND d."nextAttemptAt" IS NULL
      AND (d."lastAttemptAt" IS NULL OR d."lastAttemptAt" < now() - make_interval(days => $1))
    ORDER BY d."createdAt"
    LIMIT $2),
  pruned AS (DELETE FROM "WebhookDelivery" d USING old WHERE d.id = old.id RETURNING 1)
  SELECT count(*)::int AS n FROM pruned`;

/** Runs `statement` in batches until one changes less than a batch, at most `batchesPerSweep` of them. */
async function inBatches(sql: SqlRunner, statement: string, setting: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < batchesPerSweep; i++) {
    const [row] = await sql.query<{ n: number }>(statement, [setting, batchRows]);
    total += row?.n ?? 0;
    if ((row?.n ?? 0) < batchRows) break;
  }
  return total;
}

/**
 * Keeps the delivery table bounded: each workspace's queue to WEBHOOK_MAX_QUEUED_PER_WORKSPACE, the log to
 * WEBHOOK_LOG_RETENTION_DAYS. Returns what it dropped and pruned.
 */
export async function keepDeliveriesBounded(
  sql: SqlRunner,
  settings: Pick<WebhookSettings, "maxQueuedPerWorkspace" | "logRetentionDays" | "retryWindowMs">,
): Promise<{ dropped: number; expired: number; pruned: number }> {
  const dropped = await inBatches(sql, trimStatement, settings.maxQueuedPerWorkspace);
  const expired = await inBatches(sql, expireStatement, settings.retryWindowMs);
  const pruned = await inBatches(sql, pruneStatement, settings.logRetentionDays);
  return { dropped, expired, pruned };
}
