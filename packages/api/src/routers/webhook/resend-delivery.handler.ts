import { recordWebhookEventCte } from "../../audit/system-event";
import { accessGrantsWebhooks, assertWebhookPermission, workspaceAccessCte } from "../../authz/workspace-access";
import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import { type DeliveryRow, deliveryColumns, toDeliveryDto } from "./delivery-dto";
import type { ResendWebhookDeliveryInput } from "./resend-delivery.schema";

/**
 * One statement: authorize, and make the delivery (of a live endpoint of the workspace, whatever its status)
 * due now with a new retry window: the same event id and body, signed anew when it is sent; record the event.
 * Its claim token is cleared, so an attempt still out records nothing over the resend; the endpoint's backoff
 * after failures ends (not a claim still out, nor a pause: a paused endpoint sends once it is resumed).
 */
const resendStatement = `
  WITH ${workspaceAccessCte("$1", "$2")},
  resent AS (
    UPDATE "WebhookDelivery" d SET status = 'pending', "nextAttemptAt" = now(), "retryFrom" = now(), "claimToken" = NULL
    FROM "WebhookEndpoint" e, access
    WHERE d.id = $3 AND e.id = d."endpointId" AND e."workspaceId" = access.workspace_id AND e."deletedAt" IS NULL
      AND ${accessGrantsWebhooks()}
    RETURNING ${deliveryColumns("d")}, d."endpointId"),
  unheld AS (
    UPDATE "WebhookEndpoint" e SET "holdUntil" = NULL
    FROM resent WHERE e.id = resent."endpointId" AND e."claimToken" IS NULL),
  ${recordWebhookEventCte({ context: "webhookdelivery", event: "updated", source: "resent", before: "NULL", after: `jsonb_build_object('eventId', resent."eventId", 'status', 'pending')`, viaParam: "$4" })}
  SELECT (SELECT role FROM access) AS role, to_jsonb(resent) AS delivery FROM (SELECT 1) one LEFT JOIN resent ON true`;

export async function resendWebhookDeliveryHandler({
  ctx,
  input,
}: {
  ctx: AuthedContext;
  input: ResendWebhookDeliveryInput;
}) {
  const [result] = await ctx.services.db.sql.query<{ role: string | null; delivery: DeliveryRow | null }>(
    resendStatement,
    [ctx.actor.userId, input.workspaceId, input.deliveryId, ctx.channel],
  );
  assertWebhookPermission(result?.role);
  if (!result!.delivery) throw domainErrors.webhookDeliveryNotFound();
  ctx.services.webhooks.wake();
  return { delivery: toDeliveryDto(result!.delivery) };
}
