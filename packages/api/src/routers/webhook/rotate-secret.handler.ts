import { recordWebhookEventCte } from "../../audit/system-event";
import { accessGrantsWebhooks, assertWebhookPermission, workspaceAccessCte } from "../../authz/workspace-access";
import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import { newWebhookSecret, previousSecretGraceSeconds, sealWebhookSecret } from "../../webhooks/webhook-secret";
import type { RotateWebhookSecretInput } from "./rotate-secret.schema";

/**
 * One statement: authorize, replace the live endpoint's secret, keep the replaced one for 24 h. Every attempt in
 * that time (retries of older events too) carries two signatures, the new secret's and the replaced one's
 * (Stripe's scheme), so a receiver can switch secrets whenever it likes within the day. A second rotation within
 * the day replaces the kept secret with the one it replaces. The event records who rotated it, never a secret.
 */
const rotateStatement = `
  WITH ${workspaceAccessCte("$1", "$2")},
  rotated AS (
    UPDATE "WebhookEndpoint" e
    SET "previousSecretCiphertext" = e."secretCiphertext", "previousMasterKeyVersion" = e."masterKeyVersion",
        "previousSecretExpiresAt" = now() + make_interval(secs => $6::int),
        "secretCiphertext" = $4, "masterKeyVersion" = $5, "secretRotatedAt" = now()
    FROM access
    WHERE e.id = $3 AND e."workspaceId" = access.workspace_id AND e."deletedAt" IS NULL AND ${accessGrantsWebhooks()}
    RETURNING e.id),
  ${recordWebhookEventCte({ context: "webhookendpoint", event: "rotated", source: "rotated", before: "NULL", after: "NULL", viaParam: "$7" })}
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
    previousSecretGraceSeconds,
    ctx.channel,
  ]);
  assertWebhookPermission(result?.role);
  if (!result!.id) throw domainErrors.webhookEndpointNotFound();
  return { secret };
}
