import type { WorkspaceRole } from "@repokeys/db";

export type RepoPermission = "read" | "write";

/** VIEWER reads; MEMBER and above manage keys. */
const rolePermissions: Record<WorkspaceRole, readonly RepoPermission[]> = {
  OWNER: ["read", "write"],
  ADMIN: ["read", "write"],
  MEMBER: ["read", "write"],
  VIEWER: ["read"],
};

export function rolesWith(permission: RepoPermission): WorkspaceRole[] {
  return (Object.keys(rolePermissions) as WorkspaceRole[]).filter((role) => rolePermissions[role].includes(permission));
}

export function roleCan(role: WorkspaceRole, permission: RepoPermission): boolean {
  return rolePermissions[role].includes(permission);
}
