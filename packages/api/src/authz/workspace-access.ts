import { domainErrors } from "../errors/domain-errors";
import { type RepoPermission, rolesWith } from "./roles";

/**
 * A CTE named `access`: the actor's role in the workspace, one row or none (not a member, or no such
 * workspace: the same answer, so ids cannot be probed). Mutations put it in the statement of the change.
 */
export function workspaceAccessCte(userParam: string, workspaceParam: string): string {
  return `access AS (
    SELECT m."workspaceId" AS workspace_id, m.role::text AS role
    FROM "WorkspaceMember" m
    WHERE m."workspaceId" = ${workspaceParam} AND m."userId" = ${userParam})`;
}

/** A SQL condition on the `access` CTE: the role may manage webhooks. The roles are constants, not input. */
export function accessGrantsWebhooks(): string {
  return `access.role IN (${rolesWith("webhooks" satisfies RepoPermission)
    .map((role) => `'${role}'`)
    .join(", ")})`;
}

/** Throws unless `role` (from `access`; null: not a member, or no such workspace) may manage webhooks. */
export function assertWebhookPermission(role: string | null | undefined): void {
  if (!role) throw domainErrors.workspaceNotFound();
  if (!rolesWith("webhooks").includes(role as never)) throw domainErrors.webhooksNeedAdmin(role);
}
