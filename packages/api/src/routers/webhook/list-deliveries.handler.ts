import { accessGrantsWebhooks, assertWebhookPermission, workspaceAccessCte } from "../../authz/workspace-access";
import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import { defaultWebhookDeliveryPageSize } from "../../schemas/webhook";
import { decodeKeyPageCursor, encodeKeyPageCursor } from "../ai-api-key/key-page-cursor";
import { type DeliveryRow, deliveryColumns, toDeliveryDto } from "./delivery-dto";
import type { ListWebhookDeliveriesInput } from "./list-deliveries.schema";

/**
 * One statement: authorize, find the live endpoint, read one page of its deliveries newest first (one more
 * than asked, to know whether a next page exists) by the (endpointId, createdAt, id) index, after the cursor's
 * position when there is one. A cursor holds what the page itself shows (a createdAt and an id), base64url.
 */
const pageStatement = `
  WITH ${workspaceAccessCte("$1", "$2")},
  endpoint AS (
    SELECT e.id FROM "WebhookEndpoint" e, access
    WHERE e.id = $3 AND e."workspaceId" = access.workspace_id AND e."deletedAt" IS NULL AND ${accessGrantsWebhooks()}),
  page AS (
    SELECT ${deliveryColumns("d")},
           to_char(d."createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '|' || d.id AS position
    FROM "WebhookDelivery" d, endpoint
    WHERE d."endpointId" = endpoint.id
      AND ($4::timestamptz IS NULL OR (d."createdAt", d.id) < ($4::timestamptz, $5::text))
    ORDER BY d."createdAt" DESC, d.id DESC
    LIMIT $6)
  SELECT (SELECT role FROM access) AS role, (SELECT id FROM endpoint) AS endpoint,
         (SELECT COALESCE(jsonb_agg(to_jsonb(page) ORDER BY page."createdAt" DESC, page.id DESC), '[]') FROM page) AS deliveries`;

export async function listWebhookDeliveriesHandler({
  ctx,
  input,
}: {
  ctx: AuthedContext;
  input: ListWebhookDeliveriesInput;
}) {
  const after = input.cursor === undefined ? null : decodeKeyPageCursor(input.cursor);
  const limit = input.limit ?? defaultWebhookDeliveryPageSize;
  const [result] = await ctx.services.db.sql.query<{
    role: string | null;
    endpoint: string | null;
    deliveries: (DeliveryRow & { position: string })[];
  }>(pageStatement, [
    ctx.actor.userId,
    input.workspaceId,
    input.endpointId,
    after?.createdAt ?? null,
    after?.id ?? null,
    limit + 1,
  ]);
  assertWebhookPermission(result?.role);
  if (!result!.endpoint) throw domainErrors.webhookEndpointNotFound();
  const rows = result!.deliveries.slice(0, limit);
  return {
    deliveries: rows.map(toDeliveryDto),
    nextCursor: result!.deliveries.length > limit ? encodeKeyPageCursor(rows.at(-1)!.position) : null,
  };
}
