import { roleCan } from "../../authz/roles";
import type { AuthedContext } from "../../context";

/** The workspaces the caller belongs to, with the caller's role and each workspace's repositories. */
export async function listWorkspacesHandler({ ctx }: { ctx: AuthedContext }) {
  const memberships = await ctx.services.db.prisma.workspaceMember.findMany({
    where: { userId: ctx.actor.userId },
    orderBy: { workspace: { name: "asc" } },
    select: {
      role: true,
      workspace: {
        select: { id: true, name: true, repos: { select: { id: true, name: true }, orderBy: { name: "asc" } } },
      },
    },
  });
  return memberships.map((m) => ({
    ...m.workspace,
    role: m.role,
    canWriteKeys: roleCan(m.role, "write"),
    canManageWebhooks: roleCan(m.role, "webhooks"),
  }));
}
