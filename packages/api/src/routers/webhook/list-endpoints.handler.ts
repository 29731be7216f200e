import { accessGrantsWebhooks, assertWebhookPermission, workspaceAccessCte } from "../../authz/workspace-access";
import type { AuthedContext } from "../../context";
import { type EndpointRow, endpointColumns, toEndpointDto } from "./endpoint-dto";
import type { ListWebhookEndpointsInput } from "./list-endpoints.schema";

/**
 * One statement: the caller's role and, if it may see them, every live endpoint of the workspace, newest first;
 * all of them, since each one is sent to: creation holds them to the cap exactly.
 */
const listStatement = `
  WITH ${workspaceAccessCte("$1", "$2")},
  listed AS (
    SELECT ${endpointColumns("e")}
    FROM "WebhookEndpoint" e, access
    WHERE e."workspaceId" = access.workspace_id AND e."deletedAt" IS NULL AND ${accessGrantsWebhooks()}
    ORDER BY e."createdAt" DESC, e.id DESC)
  SELECT (SELECT role FROM access) AS role,
         (SELECT COALESCE(jsonb_agg(to_jsonb(listed) ORDER BY listed."createdAt" DESC, listed.id DESC), '[]') FROM listed) AS endpoints`;

export async function listWebhookEndpointsHandler({
  ctx,
  input,
}: {
  ctx: AuthedContext;
  input: ListWebhookEndpointsInput;
}) {
  const [result] = await ctx.services.db.sql.query<{ role: string | null; endpoints: EndpointRow[] }>(listStatement, [
    ctx.actor.userId,
    input.workspaceId,
  ]);
  assertWebhookPermission(result?.role);
  return { endpoints: result!.endpoints.map(toEndpointDto) };
}
