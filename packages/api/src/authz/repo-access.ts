import type { WorkspaceRole } from "@repokeys/db";
import type { AuthedContext } from "../context";
import { domainErrors } from "../errors/domain-errors";
import { type RepoPermission, roleCan, rolesWith } from "./roles";

/**
 * A CTE named `access`: the actor's role in the workspace that holds the repository, one row or none.
 * Mutations put it in the same statement as the change, so authorization and change are atomic and cost
 * one round trip; `requireRepoAccess` runs it alone.
 */
export function repoAccessCte(userParam: string, repoParam: string): string {
  return `access AS (
    SELECT r.id AS repo_id, r."workspaceId" AS workspace_id, m.role::text AS role
    FROM "Repo" r
    JOIN "WorkspaceMember" m ON m."workspaceId" = r."workspaceId" AND m."userId" = ${userParam}
    WHERE r.id = ${repoParam})`;
}

/** A SQL condition on the `access` CTE: the role grants `permission`. The roles are constants, not input. */
export function accessGrants(permission: RepoPermission): string {
  return `access.role IN (${rolesWith(permission)
    .map((role) => `'${role}'`)
    .join(", ")})`;
}

/**
 * Throws unless `role` (from `access`; null when the actor is no member, or the repository does not exist —
 * the same answer for both, so ids cannot be probed) grants `permission`.
 */
export function assertRepoPermission(role: string | null | undefined, permission: RepoPermission): void {
  if (!role) throw domainErrors.noRepoAccess();
  if (!roleCan(role as WorkspaceRole, permission)) throw domainErrors.readOnlyRole(role);
}

export async function requireRepoAccess(
  ctx: AuthedContext,
  repoId: string,
  permission: RepoPermission,
): Promise<{ workspaceId: string; role: WorkspaceRole }> {
  const [row] = await ctx.services.db.sql.query<{ workspace_id: string; role: WorkspaceRole }>(
    `WITH ${repoAccessCte("$1", "$2")} SELECT workspace_id, role FROM access`,
    [ctx.actor.userId, repoId],
  );
  assertRepoPermission(row?.role, permission);
  return { workspaceId: row!.workspace_id, role: row!.role };
}
