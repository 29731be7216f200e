import { recordWebhookEventCte, webhookOriginSql } from "../../audit/system-event";
import { accessGrantsWebhooks, assertWebhookPermission, workspaceAccessCte } from "../../authz/workspace-access";
import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import { checkedWebhookUrl } from "./checked-webhook-url";
import { type EndpointRow, endpointColumns, toEndpointDto } from "./endpoint-dto";
import type { UpdateWebhookEndpointInput } from "./update-endpoint.schema";

/**
 * One statement: authorize, change the live endpoint's URL and/or events (what is omitted stays), and record the
 * event when either changed; a new URL's origin is the parser's (`$7`).
 */
const updateStatement = `
  WITH ${workspaceAccessCte("$1", "$2")},
  prior AS (SELECT e.id, e.url, e.events FROM "WebhookEndpoint" e WHERE e.id = $3),
  updated AS (
    UPDATE "WebhookEndpoint" e SET url = COALESCE($4, e.url), events = COALESCE($5::text[], e.events)
    FROM access
    WHERE e.id = $3 AND e."workspaceId" = access.workspace_id AND e."deletedAt" IS NULL AND ${accessGrantsWebhooks()}
    RETURNING ${endpointColumns("e")}),
  changed AS (
    SELECT updated.id, updated.url, updated.events, prior.url AS prior_url, prior.events AS prior_events
    FROM updated JOIN prior ON prior.id = updated.id
    WHERE prior.url IS DISTINCT FROM updated.url OR prior.events IS DISTINCT FROM updated.events),
  ${recordWebhookEventCte({
    context: "webhookendpoint",
    event: "updated",
    source: "changed",
    before: `jsonb_build_object('origin', ${webhookOriginSql("changed.prior_url")}, 'events', to_jsonb(changed.prior_events))`,
    after: `jsonb_build_object('origin', COALESCE($7::text, ${webhookOriginSql("changed.url")}), 'events', to_jsonb(changed.events))`,
    viaParam: "$6",
  })}
  SELECT (SELECT role FROM access) AS role, to_jsonb(updated) AS endpoint FROM (SELECT 1) one LEFT JOIN updated ON true`;

export async function updateWebhookEndpointHandler({
  ctx,
  input,
}: {
  ctx: AuthedContext;
  input: UpdateWebhookEndpointInput;
}) {
  const url = input.url === undefined ? null : await checkedWebhookUrl(ctx, input.workspaceId, input.url);
  const [result] = await ctx.services.db.sql.query<{ role: string | null; endpoint: EndpointRow | null }>(
    updateStatement,
    [
      ctx.actor.userId,
      input.workspaceId,
      input.endpointId,
      url?.href ?? null,
      input.events ?? null,
      ctx.channel,
      url?.origin ?? null,
    ],
  );
  assertWebhookPermission(result?.role);
  if (!result!.endpoint) throw domainErrors.webhookEndpointNotFound();
  return { endpoint: toEndpointDto(result!.endpoint) };
}
