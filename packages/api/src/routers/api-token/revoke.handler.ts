import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import type { RevokeApiTokenInput } from "./revoke.schema";
import { apiTokenColumns, toApiTokenDto } from "./token-dto";

/** Revokes one of the caller's own tokens; on this instance it stops working at once (see BearerTokenVerifier). */
export async function revokeApiTokenHandler({ ctx, input }: { ctx: AuthedContext; input: RevokeApiTokenInput }) {
  const [revoked] = await ctx.services.db.prisma.apiToken.updateManyAndReturn({
    where: { id: input.id, userId: ctx.actor.userId, revokedAt: null },
    data: { revokedAt: new Date() },
    select: { ...apiTokenColumns, tokenHash: true },
  });
  if (!revoked) throw domainErrors.apiTokenNotFound();
  ctx.services.bearerTokens.forget(Buffer.from(revoked.tokenHash));
  return toApiTokenDto(revoked);
}
