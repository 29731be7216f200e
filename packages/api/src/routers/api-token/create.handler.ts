import { generateApiToken, sha256 } from "@repokeys/crypto";
import type { AuthedContext } from "../../context";
import type { CreateApiTokenInput } from "./create.schema";
import { apiTokenColumns, toApiTokenDto } from "./token-dto";

const dayMs = 86_400_000;

/** A personal token for the REST API: only its hash is stored, so this response is the one chance to copy it. */
export async function createApiTokenHandler({ ctx, input }: { ctx: AuthedContext; input: CreateApiTokenInput }) {
  const { token, prefix } = generateApiToken();
  const created = await ctx.services.db.prisma.apiToken.create({
    data: {
      userId: ctx.actor.userId,
      name: input.name,
      prefix,
      tokenHash: new Uint8Array(sha256(token)),
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * dayMs) : null,
    },
    select: apiTokenColumns,
  });
  return { token, apiToken: toApiTokenDto(created) };
}
