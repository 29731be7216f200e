import type { Actor } from "@repokeys/api";
import type { Metadata } from "next";
import { webCaller } from "./caller";
import { currentActor } from "./session";
import { workspaceOf } from "./workspaces";

/** The workspace when the caller may manage its webhooks (OWNER, ADMIN), otherwise null. */
export async function webhookWorkspaceOf(actor: Actor, workspaceId: string) {
  const workspace = await workspaceOf(actor, workspaceId);
  return workspace?.canManageWebhooks ? workspace : null;
}

/** A webhooks page's title names the workspace, so tabs and history tell workspaces apart. */
export async function webhooksPageMetadata(workspaceId: string, view: string): Promise<Metadata> {
  const actor = await currentActor();
  const workspace = actor ? await webhookWorkspaceOf(actor, workspaceId) : null;
  return { title: workspace ? `${view} · ${workspace.name}` : "Not found" };
}

/** One endpoint of the workspace as the list shows it, or null (a workspace has at most 50: one bounded read). */
export async function endpointOf(actor: Actor, workspaceId: string, endpointId: string) {
  const { endpoints } = await webCaller(actor).listWebhookEndpoints({ workspaceId });
  return endpoints.find((e) => e.id === endpointId) ?? null;
}
