import type { SystemEventContext, SystemEventName } from "../schemas/system-event";
import { keyEventDeliveriesCte } from "../webhooks/key-event-deliveries-sql";

/**
 * Contexts of the operator's own changes, beyond Flashback's list: they belong to no workspace and no person,
 * so the audit listing (which reads a workspace's or a person's events) never shows them; the operator reads
 * them with `npm run admin -- gateway-token events`.
 */
export type OperatorEventContext = "gatewaytoken";

/**
 * Contexts of a workspace's webhook settings, beyond Flashback's list: an endpoint's changes, and a delivery's
 * resend. Their events are in the workspace's partition but of no kind the listing enumerates
 * (audit/system-event-kinds.ts), so `/systemevent`, which every member reads (VIEWERs too), does not show them:
 * an endpoint's URL may carry its receiver's own secret. They record only the URL's scheme and host.
 */
export type WebhookEventContext = "webhookendpoint" | "webhookdelivery";

export interface SystemEventSql {
  context: SystemEventContext | OperatorEventContext | WebhookEventContext;
  /** The event's name, or a text SQL expression over `source` that yields one of them. */
  event: SystemEventName | { sql: string };
  /** The CTE whose rows are the changed entities, one event each. */
  source: string;
  /** SQL expressions over `source` and the statement's parameters. */
  contextId: string;
  /** NULL for a person's own changes that belong to no workspace (their API tokens). */
  workspaceId: string;
  userId: string;
  /** The repository the change belongs to, if any (a column, so that listing by it is an index scan). */
  repoId?: string;
  /** A jsonb expression with the change's before/after values; the channel is added here. Never a secret. */
  jsonData: string;
  /** The parameter that holds the call's channel. */
  viaParam: string;
}

/**
 * A data-modifying CTE named `event` that records one system event per changed row, so that a change
 * and its audit event are one statement: both are stored or neither is.
 */
export function recordSystemEventCte(e: SystemEventSql): string {
  return `event AS (
    INSERT INTO "SystemEvent" (context, "contextId", event, "userId", "workspaceId", "repoId", via, "jsonData")
    SELECT '${e.context}', ${e.contextId}, ${typeof e.event === "string" ? `'${e.event}'` : e.event.sql}, ${e.userId}, ${e.workspaceId}, ${e.repoId ?? "NULL"},
           ${e.viaParam}::text, ${e.jsonData} || jsonb_build_object('via', ${e.viaParam}::text)
    FROM ${e.source}
    RETURNING id)`;
}

export interface AiApiKeyEventSql {
  event: SystemEventName;
  /** The CTE of changed keys; it returns their `id`. */
  source: string;
  /** jsonb expressions (or NULL) of the key's values before and after the change. Never a secret. */
  before: string;
  after: string;
  viaParam: string;
  /** The parameter that holds WEBHOOK_MAX_QUEUED_PER_WORKSPACE. */
  maxQueuedParam: string;
}

/**
 * The event of a change to repository AI API keys, in the one shape every such event has, and its webhook
 * deliveries to the workspace's subscribed endpoints (webhooks/key-event-deliveries-sql.ts). It expects the
 * statement's `$1` to be the actor, `$2` the repository, and an `access` CTE (authz/repo-access.ts).
 */
export function recordAiApiKeyEventCte(e: AiApiKeyEventSql): string {
  const audited = recordSystemEventCte({
    context: "aillmapikey",
    event: e.event,
    source: e.source,
    contextId: `${e.source}.id`,
    workspaceId: "(SELECT workspace_id FROM access)",
    userId: "$1",
    repoId: "$2::text",
    jsonData: `jsonb_build_object('repoId', $2::text, 'apikeyId', ${e.source}.id, 'before', ${e.before}, 'after', ${e.after})`,
    viaParam: e.viaParam,
  });
  const delivered = keyEventDeliveriesCte({
    event: `apikey.${e.event}` as const,
    source: e.source,
    workspaceId: "(SELECT workspace_id FROM access)",
    userId: "$1",
    repoId: "$2::text",
    viaParam: e.viaParam,
    before: e.before,
    after: e.after,
    maxQueued: e.maxQueuedParam,
  });
  return `${audited},\n  ${delivered}`;
}

export interface WebhookEventSql {
  context: WebhookEventContext;
  event: SystemEventName;
  /** The CTE of changed endpoints (or deliveries); it returns their `id`. */
  source: string;
  /** jsonb expressions (or NULL) of the values before and after the change. Never a secret. */
  before: string;
  after: string;
  viaParam: string;
}

/**
 * A URL's scheme, host and port, without its path or query: what a webhook event records of a stored URL (an
 * endpoint's URL holds no credentials: schemas/webhook.ts refuses them). URLs are stored as parsed; one stored
 * as typed may have a backslash where the parser reads a slash, so the host ends there too.
 */
export const webhookOriginSql = (url: string) => `substring(${url} from '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#\\\\]*')`;

/**
 * The event of a change to a workspace's webhook settings, by `$1` in the workspace of the statement's `access`
 * CTE (authz/workspace-access.ts).
 */
export function recordWebhookEventCte(e: WebhookEventSql): string {
  return recordSystemEventCte({
    context: e.context,
    event: e.event,
    source: e.source,
    contextId: `${e.source}.id`,
    workspaceId: "(SELECT workspace_id FROM access)",
    userId: "$1",
    jsonData: `jsonb_build_object('before', ${e.before}, 'after', ${e.after})`,
    viaParam: e.viaParam,
  });
}
