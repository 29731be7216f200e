import { randomUUID } from "node:crypto";
import { recordWebhookEventCte, webhookOriginSql } from "../../audit/system-event";
import { accessGrantsWebhooks, assertWebhookPermission, workspaceAccessCte } from "../../authz/workspace-access";
import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import { maxWebhookEndpointsPerWorkspace } from "../../schemas/webhook";
import { newWebhookSecret, sealWebhookSecret } from "../../webhooks/webhook-secret";
import { checkedWebhookUrl } from "./checked-webhook-url";
import type { CreateWebhookEndpointInput } from "./create-endpoint.schema";
import { type EndpointRow, toEndpointDto } from "./endpoint-dto";

/**
 * One statement: authorize, check the workspace is under its cap of live endpoints, store the endpoint with its
 * sealed secret, record the event. Two creations racing each other both pass the check, so the true bound is the cap plus the
 * pool size minus one; one workspace's admins do not race.
 */
const createStatement = `
  WITH ${workspaceAccessCte("$1", "$2")},
  live AS (SELECT count(*)::int AS n FROM "WebhookEndpoint" WHERE "workspaceId" = $2 AND "deletedAt" IS NULL),
  created AS (
    INSERT INTO "WebhookEndpoint" (id, "workspaceId", url, events, "secretCiphertext", "masterKeyVersion")
    SELECT $3, access.workspace_id, $4, $5::text[], $6, $7
    FROM access, live WHERE ${accessGrantsWebhooks()} AND live.n < $8
    RETURNING id, url, events, "createdAt", "secretRotatedAt", NULL::jsonb AS "lastDelivery"),
  ${recordWebhookEventCte({ context: "webhookendpoint", event: "created", source: "created", before: "NULL", after: `jsonb_build_object('origin', ${webhookOriginSql("created.url")}, 'events', to_jsonb(created.events))`, viaParam: "$9" })}
  SELECT (SELECT role FROM access) AS role, to_jsonb(created) AS endpoint FROM (SELECT 1) one LEFT JOIN created ON true`;

export async function createWebhookEndpointHandler({
  ctx,
  input,
}: {
  ctx: AuthedContext;
  input: CreateWebhookEndpointInput;
}) {
  const url = await checkedWebhookUrl(ctx, input.url);
  const id = randomUUID();
  const secret = newWebhookSecret();
  const sealed = sealWebhookSecret(ctx.services.keyring, secret, id);
  const [result] = await ctx.services.db.sql.query<{ role: string | null; endpoint: EndpointRow | null }>(
    createStatement,
    [
      ctx.actor.userId,
      input.workspaceId,
      id,
      url,
      input.events,
      sealed.ciphertext,
      sealed.masterKeyVersion,
      maxWebhookEndpointsPerWorkspace,
      ctx.channel,
    ],
  );
  assertWebhookPermission(result?.role);
  if (!result!.endpoint) throw domainErrors.tooManyWebhookEndpoints(maxWebhookEndpointsPerWorkspace);
  return { endpoint: toEndpointDto(result!.endpoint), secret };
}
