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
}

/**
 * Data-modifying CTEs that queue one delivery of the change's event for every live endpoint of the workspace
 * subscribed to it, in the statement that makes the change: the delivery is stored if and only if the change
 * commits, and never sent for one that rolled back. One event id per changed key (materialized, so every
 * endpoint gets the same one). A workspace without subscribed endpoints costs one probe of the endpoints' workspace
 * index and builds no event: the id and payload are made only when some endpoint will get them (with them made
 * for every change, a rename cost PostgreSQL 0.03–0.07 ms more; bench/README.md).
 */
export function keyEventDeliveriesCte(e: KeyEventDeliveriesSql): string {
  return `webhook_endpoint AS (
    SELECT we.id FROM "WebhookEndpoint" we
    WHERE we."workspaceId" = ${e.workspaceId} AND we."deletedAt" IS NULL AND '${e.event}' = ANY (we.events)),
  webhook_event AS MATERIALIZED (
    SELECT 'evt_' || replace(gen_random_uuid()::text, '-', '') AS event_id,
           jsonb_build_object('workspaceId', ${e.workspaceId}, 'repoId', ${e.repoId}, 'apikeyId', ${e.source}.id,
                              'actorId', ${e.userId}, 'via', ${e.viaParam}::text,
                              'before', ${e.before}, 'after', ${e.after}) AS data
    FROM ${e.source} WHERE EXISTS (SELECT 1 FROM webhook_endpoint)),
  webhook_delivery AS (
    INSERT INTO "WebhookDelivery" ("endpointId", "eventId", event, payload)
    SELECT webhook_endpoint.id, w.event_id, '${e.event}', w.data
    FROM webhook_event w CROSS JOIN webhook_endpoint)`;
}
