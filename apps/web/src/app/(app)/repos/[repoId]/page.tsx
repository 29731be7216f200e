import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { KeysPanel } from "@/components/keys/keys-panel";
import { RepoHeader } from "@/components/repo-header";
import { webCaller } from "@/server/caller";
import { requireActor } from "@/server/session";
import { repoOf } from "@/server/workspaces";

export const metadata: Metadata = { title: "AI API keys" };

export default async function RepoKeysPage({ params }: { params: Promise<{ repoId: string }> }) {
  const { repoId } = await params;
  const actor = await requireActor(`/repos/${encodeURIComponent(repoId)}`);
  const found = await repoOf(actor, repoId);
  if (!found) notFound();
  const { apiKeys } = await webCaller(actor).listAiApiKeys({ repoId });
  return (
    <>
      <RepoHeader repo={found.repo} workspace={found.workspace} current="keys" />
      <KeysPanel repoId={repoId} canWrite={found.canWrite} initialKeys={apiKeys} />
    </>
  );
}
