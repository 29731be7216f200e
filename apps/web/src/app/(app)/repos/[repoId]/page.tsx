import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { KeysPanel } from "@/components/keys/keys-panel";
import { keysTableInput } from "@/components/keys/keys-table-page";
import { RepoApiAccess } from "@/components/repo-api-access";
import { RepoHeader } from "@/components/repo-header";
import { webCaller } from "@/server/caller";
import { repoPageMetadata } from "@/server/repo-page";
import { requireActor } from "@/server/session";
import { repoOf } from "@/server/workspaces";

type Params = { params: Promise<{ repoId: string }> };

export async function generateMetadata({ params }: Params) {
  return repoPageMetadata((await params).repoId, "AI API keys");
}

/** The origin people reach this server at, for the curl example (behind a proxy: its forwarded protocol). */
async function origin(): Promise<string> {
  const h = await headers();
  const protocol = h.get("x-forwarded-proto") === "https" ? "https" : "http";
  return `${protocol}://${h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000"}`;
}

export default async function RepoKeysPage({ params }: Params) {
  const { repoId } = await params;
  const actor = await requireActor(`/repos/${encodeURIComponent(repoId)}`);
  const found = await repoOf(actor, repoId);
  if (!found) notFound();
  // Copied into a plain object of the fields the table reads: the answer's fields are getters over its JSON text.
  const { apiKeys, nextCursor, usage } = await webCaller(actor).listAiApiKeys(keysTableInput(repoId));
  return (
    <>
      <RepoHeader repo={found.repo} workspace={found.workspace} current="keys" />
      <KeysPanel repoId={repoId} canWrite={found.canWrite} firstPage={{ apiKeys, nextCursor, usage }} />
      <RepoApiAccess repoId={repoId} origin={await origin()} />
    </>
  );
}
