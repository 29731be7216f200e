import { accessGrantsWebhooks, assertWebhookPermission, workspaceAccessCte } from "../../authz/workspace-access";
import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import { checkedWebhookUrl } from "./checked-webhook-url";
import { type EndpointRow, endpointColumns, toEndpointDto } from "./endpoint-dto";
import type { UpdateWebhookEndpointInput } from "./update-endpoint.schema";

/** One statement: authorize, change the live endpoint's URL and/or events (what is omitted stays). */
const updateStatement = `
  WITH ${workspaceAccessCte("$1", "$2")},
  updated AS (
    UPDATE "WebhookEndpoint" e SET url = COALESCE($4, e.url), events = COALESCE($5::text[], e.events)
    FROM access
    WHERE e.id = $3 AND e."workspaceId" = access.workspace_id AND e."deletedAt" IS NULL AND ${accessGrantsWebhooks()}
    RETURNING ${endpointColumns("e")})
  SELECT (SELECT role FROM access) AS role, to_jsonb(updated) AS endpoint FROM (SELECT 1) one LEFT JOIN updated ON true`;

export async function updateWebhookEndpointHandler({
  ctx,
  input,
}: {
  ctx: AuthedContext;
  input: UpdateWebhookEndpointInput;
}) {
  const url = input.url === undefined ? null : await checkedWebhookUrl(ctx, input.url);
  const [result] = await ctx.services.db.sql.query<{ role: string | null; endpoint: EndpointRow | null }>(
    updateStatement,
    [ctx.actor.userId, input.workspaceId, input.endpointId, url, input.events ?? null],
  );
  assertWebhookPermission(result?.role);
  if (!result!.endpoint) throw domainErrors.webhookEndpointNotFound();
  return { endpoint: toEndpointDto(result!.endpoint) };
}
