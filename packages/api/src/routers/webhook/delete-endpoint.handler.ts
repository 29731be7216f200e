import { recordWebhookEventCte, webhookOriginSql } from "../../audit/system-event";
import { accessGrantsWebhooks, assertWebhookPermission, workspaceAccessCte } from "../../authz/workspace-access";
import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import type { DeleteWebhookEndpointInput } from "./delete-endpoint.schema";

/**
 * One statement: authorize, soft-delete the live endpoint, take it off its workspace's count of live endpoints,
 * and stop its queued deliveries (failed, saying why), so that nothing is sent to it any more. A second delete
 * finds nothing: 404.
 */
const deleteStatement = `
  WITH ${workspaceAccessCte("$1", "$2")},
  deleted AS (
    UPDATE "WebhookEndpoint" e SET "deletedAt" = now()
    FROM access
    WHERE e.id = $3 AND e."workspaceId" = access.workspace_id AND e."deletedAt" IS NULL AND ${accessGrantsWebhooks()}
    RETURNING e.id, e."workspaceId", e.url, e.events),
  uncounted AS (
    UPDATE "Workspace" w SET "webhookEndpointCount" = w."webhookEndpointCount" - 1
    FROM deleted WHERE w.id = deleted."workspaceId"),
  ${recordWebhookEventCte({ context: "webhookendpoint", event: "deleted", source: "deleted", before: `jsonb_build_object('origin', ${webhookOriginSql("deleted.url")}, 'events', to_jsonb(deleted.events))`, after: "NULL", viaParam: "$4" })},
  stopped AS (
    UPDATE "WebhookDelivery" d SET status = 'failed', "nextAttemptAt" = NULL, "lastError" = 'The endpoint was deleted.'
    FROM deleted WHERE d."endpointId" = deleted.id AND d."nextAttemptAt" IS NOT NULL)
  SELECT (SELECT role FROM access) AS role, (SELECT id FROM deleted) AS id`;

export async function deleteWebhookEndpointHandler({
  ctx,
  input,
}: {
  ctx: AuthedContext;
  input: DeleteWebhookEndpointInput;
}) {
  const [result] = await ctx.services.db.sql.query<{ role: string | null; id: string | null }>(deleteStatement, [
    ctx.actor.userId,
    input.workspaceId,
    input.endpointId,
    ctx.channel,
  ]);
  assertWebhookPermission(result?.role);
  if (!result!.id) throw domainErrors.webhookEndpointNotFound();
  return { success: true as const };
}
