import type { Actor } from "@repokeys/api";
import { cache } from "react";
import { webCaller } from "./caller";

/** The caller's workspaces, asked once per request however many components need them (layout and page). */
export const workspacesOf = cache((actor: Actor) => webCaller(actor).listWorkspaces());

/** The repository with its workspace and the caller's role there, or null when the caller cannot see it. */
export async function repoOf(actor: Actor, repoId: string) {
  for (const workspace of await workspacesOf(actor)) {
    const repo = workspace.repos.find((r) => r.id === repoId);
    if (repo) return { repo, workspace, role: workspace.role, canWrite: workspace.canWriteKeys };
  }
  return null;
}

/** The workspace with the caller's role there, or null when the caller is not a member. */
export async function workspaceOf(actor: Actor, workspaceId: string) {
  return (await workspacesOf(actor)).find((w) => w.id === workspaceId) ?? null;
}
