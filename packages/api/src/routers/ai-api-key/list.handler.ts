import { requireRepoAccess } from "../../authz/repo-access";
import type { AuthedContext } from "../../context";
import type { ListAiApiKeysInput } from "./list.schema";

/** The repository's live keys, newest first; the select names the public columns only. */
export async function listAiApiKeysHandler({ ctx, input }: { ctx: AuthedContext; input: ListAiApiKeysInput }) {
  await requireRepoAccess(ctx, input.repoId, "read");
  const keys = await ctx.services.db.prisma.repoAiApiKey.findMany({
    where: { repoId: input.repoId, deletedAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, name: true, repoId: true, key: true, aiType: true, createdAt: true, deletedAt: true },
  });
  return {
    success: true as const,
    apiKeys: keys.map((k) => ({
      ...k,
      createdAt: k.createdAt.toISOString(),
      deletedAt: k.deletedAt?.toISOString() ?? null,
    })),
  };
}
