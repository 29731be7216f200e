"use client";
import type { WebhookEndpointDto } from "@repokeys/api";
import { useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Announcer, useAnnouncer } from "@/components/announcer";
import { EmptyState } from "@/components/empty-state";
import { OneTimeSecretDialog } from "@/components/one-time-secret-dialog";
import { useTRPC } from "@/trpc/trpc";
import { type CreatedEndpoint, CreateEndpointDialog } from "./create-endpoint-dialog";
import { DeleteEndpointDialog } from "./delete-endpoint-dialog";
import { deliveryPollMs } from "./delivery-polling";
import { EditEndpointDialog } from "./edit-endpoint-dialog";
import { EndpointRow } from "./endpoint-row";
import { type RotatedSecret, RotateSecretDialog } from "./rotate-secret-dialog";

/**
 * A workspace's webhook endpoints, newest first. One table; at 900 px and below each row becomes a card whose cells
 * carry their column name (`data-label`), as the keys table does.
 */
export function WebhooksPanel({
  workspaceId,
  initialEndpoints,
}: {
  workspaceId: string;
  initialEndpoints: WebhookEndpointDto[];
}) {
  const trpc = useTRPC();
  const { data } = useQuery(
    trpc.listWebhookEndpoints.queryOptions(
      { workspaceId },
      {
        initialData: { endpoints: initialEndpoints },
        // A delivery being sent: its endpoint's last status is about to change.
        refetchInterval: (query) =>
          query.state.data?.endpoints.some((e) => e.lastDelivery?.status === "pending") ? deliveryPollMs : false,
      },
    ),
  );
  const endpoints = data.endpoints;
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedEndpoint | null>(null);
  const [editing, setEditing] = useState<WebhookEndpointDto | null>(null);
  const [rotating, setRotating] = useState<WebhookEndpointDto | null>(null);
  const [rotated, setRotated] = useState<RotatedSecret | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpointDto | null>(null);
  const { announce, queue, flush, ...announcer } = useAnnouncer();
  const heading = useRef<HTMLHeadingElement>(null);
  const startCreating = () => setCreating(true);

  return (
    <>
      <div className="page-header">
        <p>
          {endpoints.length} endpoint{endpoints.length === 1 ? "" : "s"}.
        </p>
        <button type="button" className="button button-primary" onClick={startCreating}>
          Add endpoint
        </button>
      </div>
      <section className="card" aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading" ref={heading} tabIndex={-1} className="visually-hidden">
          Webhook endpoints
        </h2>
        {endpoints.length === 0 ? (
          <EmptyState title="No webhook endpoints yet">
            <p>Add an endpoint to have your own service told about every change to this workspace&apos;s keys.</p>
            <button type="button" className="button button-primary" onClick={startCreating}>
              Add your first endpoint
            </button>
          </EmptyState>
        ) : (
          <table className="responsive-table endpoints-table">
            <caption className="visually-hidden">Webhook endpoints, newest first</caption>
            <thead>
              <tr>
                <th scope="col" className="col-url">
                  URL
                </th>
                <th scope="col" className="col-events">
                  Events
                </th>
                <th scope="col" className="col-when">
                  Last delivery
                </th>
                <th scope="col" className="col-date">
                  Created
                </th>
                <th scope="col" className="col-actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((endpoint) => (
                <EndpointRow
                  key={endpoint.id}
                  workspaceId={workspaceId}
                  endpoint={endpoint}
                  onEdit={() => setEditing(endpoint)}
                  onRotate={() => setRotating(endpoint)}
                  onDelete={() => setDeleting(endpoint)}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <CreateEndpointDialog
        workspaceId={workspaceId}
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(endpoint) => {
          setCreating(false);
          setCreated(endpoint);
        }}
      />
      <OneTimeSecretDialog
        title="Webhook endpoint added"
        values={created ? [{ label: "Signing secret", value: created.secret }] : null}
        onClose={() => {
          if (created) queue(`Webhook endpoint ${created.url} added.`);
          setCreated(null);
        }}
        // The Add button was disabled while saving, so the browser has no element to return focus to.
        onClosed={() => {
          heading.current?.focus();
          flush();
        }}
      >
        <p className="muted">
          Every delivery to this endpoint is signed with this secret: check the signature before trusting a delivery.
          Lost it? Rotate the secret from the endpoint&apos;s Actions menu.
        </p>
      </OneTimeSecretDialog>
      <EditEndpointDialog
        workspaceId={workspaceId}
        target={editing}
        onClose={() => setEditing(null)}
        onUpdated={(endpoint) => announce(`Webhook endpoint ${endpoint.url} saved.`)}
      />
      <RotateSecretDialog
        workspaceId={workspaceId}
        target={rotating}
        onClose={() => setRotating(null)}
        onRotated={(secret) => {
          setRotating(null);
          setRotated(secret);
        }}
      />
      <OneTimeSecretDialog
        title="Signing secret rotated"
        values={rotated ? [{ label: "Signing secret", value: rotated.secret }] : null}
        onClose={() => {
          if (rotated) queue(`Signing secret of ${rotated.url} rotated.`);
          setRotated(null);
        }}
        onClosed={flush}
      >
        <p className="muted wrap-anywhere">
          Deliveries to <code>{rotated?.url}</code> are signed with this secret from now on.
        </p>
      </OneTimeSecretDialog>
      <DeleteEndpointDialog
        workspaceId={workspaceId}
        target={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(deleted) => {
          // Its Actions button (where focus would return) is gone with its row: go to the list instead.
          announce(`Webhook endpoint ${deleted.url} deleted.`);
          heading.current?.focus();
        }}
      />
      <Announcer {...announcer} />
    </>
  );
}
