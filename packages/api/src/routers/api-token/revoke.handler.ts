import { announcedCte } from "@repokeys/auth";
import { recordSystemEventCte } from "../../audit/system-event";
import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import type { RevokeApiTokenInput } from "./revoke.schema";
import { type ApiTokenRow, apiTokenReturning, apiTokenValuesJson, toApiTokenDto } from "./token-dto";

/** One statement: revoke one of the caller's own live tokens, record the event, announce it (by its hash). */
const revokeStatement = `
  WITH revoked AS (
    UPDATE "ApiToken" SET "revokedAt" = now()
    WHERE id = $2 AND "userId" = $1 AND "revokedAt" IS NULL
    RETURNING ${apiTokenReturning}, "tokenHash"),
  ${recordSystemEventCte({
    context: "apikey",
    event: "deleted",
    source: "revoked",
    contextId: "revoked.id",
    workspaceId: "NULL",
    userId: "$1",
    jsonData: `jsonb_build_object('before', ${apiTokenValuesJson("revoked")} || jsonb_build_object('revokedAt', NULL), 'after', ${apiTokenValuesJson("revoked")})`,
    viaParam: "$3",
  })},
  ${announcedCte("token", "revoked", `encode(revoked."tokenHash", 'base64')`)}
  SELECT revoked.* FROM revoked, announced`;

/** Revokes one of the caller's own tokens: on this instance at once, on the others when they hear of it. */
export async function revokeApiTokenHandler({ ctx, input }: { ctx: AuthedContext; input: RevokeApiTokenInput }) {
  const [revoked] = await ctx.services.db.sql.query<ApiTokenRow & { tokenHash: Uint8Array }>(revokeStatement, [
    ctx.actor.userId,
    input.id,
    ctx.channel,
  ]);
  if (!revoked) throw domainErrors.apiTokenNotFound();
  ctx.services.bearerTokens.forget(Buffer.from(revoked.tokenHash));
  return toApiTokenDto(revoked);
}
