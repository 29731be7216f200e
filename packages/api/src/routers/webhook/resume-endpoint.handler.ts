import { recordWebhookEventCte } from "../../audit/system-event";
import { accessGrantsWebhooks, assertWebhookPermission, workspaceAccessCte } from "../../authz/workspace-access";
import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import { type EndpointRow, endpointColumns, toEndpointDto } from "./endpoint-dto";
import type { ResumeWebhookEndpointInput } from "./resume-endpoint.schema";

/**
 * One statement: authorize, and let the worker send to the live endpoint again: no longer paused, its failures
 * in a row forgotten and its backoff ended (an attempt still out keeps its claim). Its queued deliveries are
 * sent from the next poll. Records the event when it was paused, as read under the row's lock (of two resumes
 * at once, the second finds it resumed); resuming one that is not changes nothing.
 */
const resumeStatement = `
  WITH ${workspaceAccessCte("$1", "$2")},
  prior AS (
    SELECT e.id, e."pausedAt" FROM "WebhookEndpoint" e JOIN access ON e."workspaceId" = access.workspace_id
    WHERE e.id = $3 AND e."deletedAt" IS NULL AND ${accessGrantsWebhooks()}
    FOR UPDATE OF e),
  resumed AS (
    UPDATE "WebhookEndpoint" e
    SET "pausedAt" = NULL, "failureStreak" = 0,
        "holdUntil" = CASE WHEN e."claimToken" IS NULL THEN NULL ELSE e."holdUntil" END
    FROM prior
    WHERE e.id = prior.id
    RETURNING ${endpointColumns("e")}),
  changed AS (SELECT resumed.id FROM resumed JOIN prior ON prior.id = resumed.id WHERE prior."pausedAt" IS NOT NULL),
  ${recordWebhookEventCte({ context: "webhookendpoint", event: "updated", source: "changed", before: "jsonb_build_object('paused', true)", after: "jsonb_build_object('paused', false)", viaParam: "$4" })}
  SELECT (SELECT role FROM access) AS role, to_jsonb(resumed) AS endpoint FROM (SELECT 1) one LEFT JOIN resumed ON true`;

export async function resumeWebhookEndpointHandler({
  ctx,
  input,
}: {
  ctx: AuthedContext;
  input: ResumeWebhookEndpointInput;
}) {
  const [result] = await ctx.services.db.sql.query<{ role: string | null; endpoint: EndpointRow | null }>(
    resumeStatement,
    [ctx.actor.userId, input.workspaceId, input.endpointId, ctx.channel],
  );
  assertWebhookPermission(result?.role);
  if (!result!.endpoint) throw domainErrors.webhookEndpointNotFound();
  ctx.services.webhooks.wake();
  return { endpoint: toEndpointDto(result!.endpoint) };
}
