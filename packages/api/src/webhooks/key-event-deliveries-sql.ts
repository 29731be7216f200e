import type { WebhookEvent } from "../schemas/webhook";

export interface KeyEventDeliveriesSql {
  event: WebhookEvent;
  /** The CTE of changed keys (one event each); it returns their `id`. */
  source: string;
  /** SQL over `source` and the statement's parameters: the workspace, the actor, the channel. */
  workspaceId: string;
  userId: string;
  repoId: string;
  viaParam: string;
  /** jsonb expressions (or NULL) of the key's values before and after the change. Never a secret. */
  before: string;
  after: string;
  /** SQL for WEBHOOK_MAX_QUEUED_PER_WORKSPACE (a statement parameter). */
  maxQueued: string;
}

/**
 * Data-modifying CTEs that queue one delivery of the change's event for every live endpoint of the workspace
 * subscribed to it, in the statement that makes the change: the delivery is stored if and only if the change
 * commits, and never sent for one that rolled back. One event id per changed key (materialized, so every
 * endpoint gets the same one). A workspace without subscribed endpoints costs one probe of the endpoints' workspace
 * index and builds no event: the id and payload are made only when some endpoint will get them (with them made
 * for every change, a rename cost PostgreSQL 0.03–0.07 ms more; bench/README.md).
 *
 * A workspace whose queue would pass `maxQueued` queues nothing for the change and counts it as dropped on each
 * subscribed endpoint instead, so no caller can grow the queue faster than its receivers empty it. The count
 * stops at the cap (at most `maxQueued` index entries read, and only when some endpoint is subscribed). A paused
 * endpoint is sent nothing new (the change is counted as dropped on it), and what it holds does not count
 * against the cap: one endpoint that stopped answering cannot take its workspace's other endpoints' share.
 */
export function keyEventDeliveriesCte(e: KeyEventDeliveriesSql): string {
  return `webhook_subscribed AS (
    SELECT we.id, we."pausedAt" IS NOT NULL AS paused FROM "WebhookEndpoint" we
    WHERE we."workspaceId" = ${e.workspaceId} AND we."deletedAt" IS NULL AND '${e.event}' = ANY (we.events)),
  webhook_endpoint AS (SELECT id FROM webhook_subscribed WHERE NOT paused),
  webhook_room AS MATERIALIZED (
    SELECT ${e.maxQueued}::int - (SELECT count(*) FROM webhook_endpoint) * (SELECT count(*) FROM ${e.source})
           >= (SELECT count(*) FROM (
                 SELECT 1 FROM "WebhookDelivery" d JOIN "WebhookEndpoint" qe ON qe.id = d."endpointId"
                 WHERE qe."workspaceId" = ${e.workspaceId} AND qe."pausedAt" IS NULL AND d."nextAttemptAt" IS NOT NULL
                 LIMIT ${e.maxQueued}::int) queued) AS fits
    WHERE EXISTS (SELECT 1 FROM webhook_endpoint) AND EXISTS (SELECT 1 FROM ${e.source})),
  webhook_event AS MATERIALIZED (
    SELECT 'evt_' || replace(gen_random_uuid()::text, '-', '') AS event_id,
           jsonb_build_object('workspaceId', ${e.workspaceId}, 'repoId', ${e.repoId}, 'apikeyId', ${e.source}.id,
                              'actorId', ${e.userId}, 'via', ${e.viaParam}::text,
                              'before', ${e.before}, 'after', ${e.after}) AS data
    FROM ${e.source} WHERE (SELECT fits FROM webhook_room)),
  webhook_delivery AS (
    INSERT INTO "WebhookDelivery" ("endpointId", "eventId", event, payload)
    SELECT webhook_endpoint.id, w.event_id, '${e.event}', w.data
    FROM webhook_event w CROSS JOIN webhook_endpoint),
  webhook_dropped AS (
    UPDATE "WebhookEndpoint" we SET "droppedDeliveries" = we."droppedDeliveries" + (SELECT count(*) FROM ${e.source})
    WHERE (we.id IN (SELECT id FROM webhook_endpoint) AND NOT (SELECT fits FROM webhook_room))
       OR (we.id IN (SELECT id FROM webhook_subscribed WHERE paused) AND EXISTS (SELECT 1 FROM ${e.source})))`;
}
