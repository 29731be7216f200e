import { notFound } from "next/navigation";
import { WebhooksHeader } from "@/components/webhooks/webhooks-header";
import { WebhooksPanel } from "@/components/webhooks/webhooks-panel";
import { webCaller } from "@/server/caller";
import { requireActor } from "@/server/session";
import { webhooksPageMetadata, webhookWorkspaceOf } from "@/server/webhooks-page";

type Params = { params: Promise<{ workspaceId: string }> };

export async function generateMetadata({ params }: Params) {
  return webhooksPageMetadata((await params).workspaceId, "Webhooks");
}

export default async function WebhooksPage({ params }: Params) {
  const { workspaceId } = await params;
  const actor = await requireActor(`/workspaces/${encodeURIComponent(workspaceId)}/webhooks`);
  const workspace = await webhookWorkspaceOf(actor, workspaceId);
  if (!workspace) notFound();
  const { endpoints } = await webCaller(actor).listWebhookEndpoints({ workspaceId });
  return (
    <>
      <WebhooksHeader workspace={workspace} title="Webhooks">
        <p className="muted">
          HTTPS endpoints that are told when a key of this workspace is created, renamed, rotated, deleted or about to
          expire. Each delivery is signed with the endpoint&apos;s secret.
        </p>
      </WebhooksHeader>
      <WebhooksPanel workspaceId={workspaceId} initialEndpoints={endpoints} />
    </>
  );
}
