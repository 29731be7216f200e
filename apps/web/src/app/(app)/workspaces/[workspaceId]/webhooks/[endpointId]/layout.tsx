import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { currentActor } from "@/server/session";
import { endpointOf } from "@/server/webhooks-page";

/**
 * An endpoint that does not exist (or was deleted) is a 404, checked here, above the delivery log's loading
 * boundary (the list's is in its route group, not above this): once a loading state has been streamed the status
 * can no longer change from 200. The workspace's layout has already checked the caller's role.
 */
export default async function EndpointLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ workspaceId: string; endpointId: string }>;
}) {
  const { workspaceId, endpointId } = await params;
  const actor = await currentActor();
  // Without a session the page itself sends the visitor to sign-in.
  if (actor && !(await endpointOf(actor, workspaceId, endpointId))) notFound();
  return children;
}
