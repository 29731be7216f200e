"use client";
import type { WebhookEndpointDto } from "@repokeys/api";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { DateTime } from "@/components/date-time";
import { MenuButton } from "@/components/menu-button";
import { DeliveryStatus } from "./delivery-status";
import { EndpointHealth } from "./endpoint-health";
import { EventList } from "./event-list";
import { deliveriesPath } from "./webhook-paths";

/** One endpoint of the endpoints table: its URL (in full, wrapped; it links to its delivery log) and its actions. */
export function EndpointRow({
  workspaceId,
  endpoint,
  onEdit,
  onRotate,
  onDelete,
}: {
  workspaceId: string;
  endpoint: WebhookEndpointDto;
  onEdit: () => void;
  onRotate: () => void;
  onDelete: () => void;
}) {
  const router = useRouter();
  const log = deliveriesPath(workspaceId, endpoint.id);
  return (
    <tr data-endpoint-id={endpoint.id}>
      <td data-label="URL" className="cell-title">
        <Link href={log} className="endpoint-url">
          {endpoint.url}
        </Link>
      </td>
      <td data-label="Events">
        <EventList events={endpoint.events} />
      </td>
      <td data-label="Last delivery">
        {/* One child: on a narrow screen's card the cell's content keeps to the column beside its label. */}
        <div className="cell-stack">
          {endpoint.lastDelivery ? (
            <div className="cell-stack">
              <DeliveryStatus status={endpoint.lastDelivery.status} />
              <DateTime iso={endpoint.lastDelivery.at} />
            </div>
          ) : (
            <span className="muted">None yet</span>
          )}
          <EndpointHealth workspaceId={workspaceId} endpoint={endpoint} />
        </div>
      </td>
      <td data-label="Created">
        <DateTime iso={endpoint.createdAt} compact />
      </td>
      <td className="actions">
        <MenuButton
          text="Actions"
          about={endpoint.url}
          actions={[
            { label: "Edit…", onSelect: onEdit },
            { label: "Rotate secret…", onSelect: onRotate },
            { label: "View deliveries", onSelect: () => router.push(log) },
            { label: "Delete…", onSelect: onDelete },
          ]}
        />
      </td>
    </tr>
  );
}
