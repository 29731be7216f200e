import { accessGrantsWebhooks, assertWebhookPermission, workspaceAccessCte } from "../../authz/workspace-access";
import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import { newWebhookSecret, sealWebhookSecret } from "../../webhooks/webhook-secret";
import type { RotateWebhookSecretInput } from "./rotate-secret.schema";

/**
 * One statement: authorize, replace the live endpoint's secret. Every attempt from then on (retries of older
 * events too) is signed with the new secret only: the receiver should accept both while it switches.
 */
const rotateStatement = `
  WITH ${workspaceAccessCte("$1", "$2")},
  rotated AS (
    UPDATE "WebhookEndpoint" e SET "secretCiphertext" = $4, "masterKeyVersion" = $5, "secretRotatedAt" = now()
    FROM access
    WHERE e.id = $3 AND e."workspaceId" = access.workspace_id AND e."deletedAt" IS NULL AND ${accessGrantsWebhooks()}
    RETURNING e.id)
  SELECT (SELECT role FROM access) AS role, (SELECT id FROM rotated) AS id`;

export async function rotateWebhookSecretHandler({
  ctx,
  input,
}: {
  ctx: AuthedContext;
  input: RotateWebhookSecretInput;
}) {
  const secret = newWebhookSecret();
  const sealed = sealWebhookSecret(ctx.services.keyring, secret, input.endpointId);
  const [result] = await ctx.services.db.sql.query<{ role: string | null; id: string | null }>(rotateStatement, [
    ctx.actor.userId,
    input.workspaceId,
    input.endpointId,
    sealed.ciphertext,
    sealed.masterKeyVersion,
  ]);
  assertWebhookPermission(result?.role);
  if (!result!.id) throw domainErrors.webhookEndpointNotFound();
  return { secret };
}
