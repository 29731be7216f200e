import type { AuthedContext } from "../../context";
import { apiTokenColumns, toApiTokenDto } from "./token-dto";

/** The caller's own tokens, newest first. */
export async function listApiTokensHandler({ ctx }: { ctx: AuthedContext }) {
  const tokens = await ctx.services.db.prisma.apiToken.findMany({
    where: { userId: ctx.actor.userId },
    orderBy: { createdAt: "desc" },
    select: apiTokenColumns,
  });
  return tokens.map(toApiTokenDto);
}
