import type { AuthedContext } from "../../context";
import { maxListedApiTokens } from "../../schemas/api-token";
import { type ApiTokenRow, apiTokenReturning, toApiTokenDto } from "./token-dto";

/** The caller's own tokens: the active ones first, then revoked or expired ones, newest first, bounded. */
export async function listApiTokensHandler({ ctx }: { ctx: AuthedContext }) {
  const tokens = await ctx.services.db.sql.query<ApiTokenRow>(
    `SELECT ${apiTokenReturning} FROM "ApiToken"
     WHERE "userId" = $1
     ORDER BY ("revokedAt" IS NULL AND ("expiresAt" IS NULL OR "expiresAt" > now())) DESC, "createdAt" DESC, id
     LIMIT $2`,
    [ctx.actor.userId, maxListedApiTokens],
  );
  return tokens.map(toApiTokenDto);
}
