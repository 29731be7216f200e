import { randomUUID } from "node:crypto";
import { recordWebhookEventCte } from "../../audit/system-event";
import { accessGrantsWebhooks, assertWebhookPermission, workspaceAccessCte } from "../../authz/workspace-access";
import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import { maxWebhookEndpointsPerWorkspace } from "../../schemas/webhook";
import { newWebhookSecret, sealWebhookSecret } from "../../webhooks/webhook-secret";
import { checkedWebhookUrl } from "./checked-webhook-url";
import type { CreateWebhookEndpointInput } from "./create-endpoint.schema";
import { type EndpointRow, toEndpointDto } from "./endpoint-dto";

/**
 * One statement: authorize, count the endpoint on its workspace while under the cap, store it with its sealed
 * secret, record the event. The count is a column of the workspace row, not a count(*) of the statement's
 * snapshot: a creation racing another waits for its row lock and then re-checks the cap against the count the
 * other committed, so the cap holds exactly however many race.
 */
const createStatement = `
  WITH ${workspaceAccessCte("$1", "$2")},
  counted AS (
    UPDATE "Workspace" w SET "webhookEndpointCount" = w."webhookEndpointCount" + 1
    FROM access
    WHERE w.id = access.workspace_id AND ${accessGrantsWebhooks()} AND w."webhookEndpointCount" < $8
    RETURNING w.id),
  created AS (
    INSERT INTO "WebhookEndpoint" (id, "workspaceId", url, events, "secretCiphertext", "masterKeyVersion")
    SELECT $3, counted.id, $4, $5::text[], $6, $7 FROM counted
    RETURNING id, url, events, "createdAt", "secretRotatedAt", NULL::jsonb AS "lastDelivery"),
  ${recordWebhookEventCte({ context: "webhookendpoint", event: "created", source: "created", before: "NULL", after: `jsonb_build_object('origin', $10::text, 'events', to_jsonb(created.events))`, viaParam: "$9" })}
  SELECT (SELECT role FROM access) AS role, to_jsonb(created) AS endpoint FROM (SELECT 1) one LEFT JOIN created ON true`;

export async function createWebhookEndpointHandler({
  ctx,
  input,
}: {
  ctx: AuthedContext;
  input: CreateWebhookEndpointInput;
}) {
  const url = await checkedWebhookUrl(ctx, input.workspaceId, input.url);
  const id = randomUUID();
  const secret = newWebhookSecret();
  const sealed = sealWebhookSecret(ctx.services.keyring, secret, id);
  const [result] = await ctx.services.db.sql.query<{ role: string | null; endpoint: EndpointRow | null }>(
    createStatement,
    [
      ctx.actor.userId,
      input.workspaceId,
      id,
      url.href,
      input.events,
      sealed.ciphertext,
      sealed.masterKeyVersion,
      maxWebhookEndpointsPerWorkspace,
      ctx.channel,
      url.origin,
    ],
  );
  assertWebhookPermission(result?.role);
  if (!result!.endpoint) throw domainErrors.tooManyWebhookEndpoints(maxWebhookEndpointsPerWorkspace);
  return { endpoint: toEndpointDto(result!.endpoint), secret };
}
