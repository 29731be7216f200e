import type { Actor } from "@repokeys/api";
import type { Metadata } from "next";
import { managesWebhooks } from "@/components/webhooks/manages-webhooks";
import { currentActor } from "./session";
import { workspaceOf } from "./workspaces";

/** The workspace when the caller may manage its webhooks (OWNER, ADMIN), otherwise null. */
export async function webhookWorkspaceOf(actor: Actor, workspaceId: string) {
  const workspace = await workspaceOf(actor, workspaceId);
  return workspace && managesWebhooks(workspace.role) ? workspace : null;
}

/** A webhooks page's title names the workspace, so tabs and history tell workspaces apart. */
export async function webhooksPageMetadata(workspaceId: string, view: string): Promise<Metadata> {
  const actor = await currentActor();
  const workspace = actor ? await webhookWorkspaceOf(actor, workspaceId) : null;
  return { title: workspace ? `${view} · ${workspace.name}` : "Not found" };
}
