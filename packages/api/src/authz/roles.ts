import type { WorkspaceRole } from "@repokeys/db";

/** `webhooks`: register and manage the workspace's webhook endpoints. */
export type RepoPermission = "read" | "write" | "webhooks";

/** VIEWER reads; MEMBER and above manage keys; OWNER and ADMIN the workspace's webhooks. */
const rolePermissions: Record<WorkspaceRole, readonly RepoPermission[]> = {
  OWNER: ["read", "write", "webhooks"],
  ADMIN: ["read", "write", "webhooks"],
  MEMBER: ["read", "write"],
  VIEWER: ["read"],
};

export function rolesWith(permission: RepoPermission): WorkspaceRole[] {
  return (Object.keys(rolePermissions) as WorkspaceRole[]).filter((role) => rolePermissions[role].includes(permission));
}

export function roleCan(role: WorkspaceRole, permission: RepoPermission): boolean {
  return rolePermissions[role].includes(permission);
}
