import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { currentActor } from "@/server/session";
import { workspaceOf } from "@/server/workspaces";

/**
 * A workspace's pages (its webhooks) are for its OWNERs and ADMINs; anyone else gets the same 404 as for a
 * workspace that does not exist. Checked here, above the pages' loading boundary: once a loading state has been
 * streamed the status can no longer change from 200.
 */
export default async function WorkspaceLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ workspaceId: string }>;
}) {
  const { workspaceId } = await params;
  const actor = await currentActor();
  // Without a session the page itself sends the visitor to sign-in.
  if (actor) {
    const workspace = await workspaceOf(actor, workspaceId);
    if (!workspace?.canManageWebhooks) notFound();
  }
  return children;
}
