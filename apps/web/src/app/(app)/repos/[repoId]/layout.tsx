import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { currentActor } from "@/server/session";
import { repoOf } from "@/server/workspaces";

/**
 * A repository that does not exist, or whose workspace the visitor is not in, is a 404 (the same for both, so
 * ids cannot be probed). Checked here, above the pages' loading boundary: once a loading state has been streamed
 * the status can no longer change from 200.
 */
export default async function RepoLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ repoId: string }>;
}) {
  const { repoId } = await params;
  const actor = await currentActor();
  // Without a session the page itself sends the visitor to sign-in.
  if (actor && !(await repoOf(actor, repoId))) notFound();
  return children;
}
