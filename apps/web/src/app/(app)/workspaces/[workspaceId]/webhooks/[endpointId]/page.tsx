import { notFound } from "next/navigation";
import { DeliveriesPanel } from "@/components/webhooks/deliveries-panel";
import { EventList } from "@/components/webhooks/event-list";
import { deliveriesPath } from "@/components/webhooks/webhook-paths";
import { WebhooksHeader } from "@/components/webhooks/webhooks-header";
import { webCaller } from "@/server/caller";
import { requireActor } from "@/server/session";
import { endpointOf, webhooksPageMetadata, webhookWorkspaceOf } from "@/server/webhooks-page";

type Params = { params: Promise<{ workspaceId: string; endpointId: string }> };

export async function generateMetadata({ params }: Params) {
  return webhooksPageMetadata((await params).workspaceId, "Webhook deliveries");
}

/** One endpoint's delivery log, newest first, a page at a time; its own URL, so it can be linked to. */
export default async function WebhookDeliveriesPage({ params }: Params) {
  const { workspaceId, endpointId } = await params;
  const actor = await requireActor(deliveriesPath(workspaceId, endpointId));
  const workspace = await webhookWorkspaceOf(actor, workspaceId);
  if (!workspace) notFound();
  const endpoint = await endpointOf(actor, workspaceId, endpointId);
  if (!endpoint) notFound();
  const firstPage = await webCaller(actor).listWebhookDeliveries({ workspaceId, endpointId });
  return (
    <>
      <WebhooksHeader workspace={workspace} title="Deliveries" back>
        <p className="wrap-anywhere">
          To <code>{endpoint.url}</code>
        </p>
        <EventList events={endpoint.events} />
      </WebhooksHeader>
      <DeliveriesPanel workspaceId={workspaceId} endpoint={endpoint} firstPage={firstPage} />
    </>
  );
}
