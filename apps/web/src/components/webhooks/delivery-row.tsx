"use client";
import type { WebhookDeliveryDto } from "@repokeys/api";
import { useMutation } from "@tanstack/react-query";
import { DateTime } from "@/components/date-time";
import { useTRPC } from "@/trpc/trpc";
import { DeliveryStatus } from "./delivery-status";

/**
 * One delivery of the log: what was sent (the event and its id, which a receiver uses to drop repeats), how its
 * last attempt went and when the next one is due. Resend queues one more attempt of the same event id now.
 */
export function DeliveryRow({
  workspaceId,
  delivery,
  onResent,
}: {
  workspaceId: string;
  delivery: WebhookDeliveryDto;
  onResent: (resent: WebhookDeliveryDto) => void;
}) {
  const trpc = useTRPC();
  const resend = useMutation(
    trpc.resendWebhookDelivery.mutationOptions({ onSuccess: (answer) => onResent(answer.delivery) }),
  );
  const errorId = `resend-error-${delivery.id}`;
  return (
    <tr data-delivery-id={delivery.id} aria-busy={resend.isPending || undefined}>
      <td data-label="Event" className="cell-title">
        <div className="cell-stack">
          <code>{delivery.event}</code>
          <span className="event-id">
            <span className="muted">Event id</span> <code>{delivery.eventId}</code>
          </span>
        </div>
      </td>
      <td data-label="Status">
        <div className="cell-stack">
          <DeliveryStatus status={delivery.status} />
          {delivery.lastError ? <span className="muted wrap-anywhere">{delivery.lastError}</span> : null}
        </div>
      </td>
      <td data-label="HTTP status">
        {delivery.lastStatusCode === null ? <span className="muted">—</span> : <code>{delivery.lastStatusCode}</code>}
      </td>
      <td data-label="Latency">
        {delivery.lastLatencyMs === null ? (
          <span className="muted">—</span>
        ) : (
          <span className="nowrap">{delivery.lastLatencyMs.toLocaleString("en")} ms</span>
        )}
      </td>
      <td data-label="Attempts">{delivery.attempts}</td>
      <td data-label="Last attempt">
        <DateTime iso={delivery.lastAttemptAt} />
      </td>
      <td data-label="Next attempt">
        <DateTime iso={delivery.nextAttemptAt} />
      </td>
      <td className="actions">
        <button
          type="button"
          className="button button-small"
          // Not `disabled` while sending: focus stays on the button, and a disabled button drops it to the page.
          aria-disabled={resend.isPending || undefined}
          aria-describedby={resend.isError ? errorId : undefined}
          onClick={() => {
            if (resend.isPending) return;
            resend.mutate({ workspaceId, deliveryId: delivery.id });
          }}
        >
          {resend.isPending ? "Resending…" : "Resend"}
          <span className="visually-hidden">
            {" "}
            {delivery.event} {delivery.eventId}
          </span>
        </button>
        {resend.isError ? (
          <p id={errorId} role="alert" className="error-text">
            Not resent: {resend.error.message}
          </p>
        ) : null}
      </td>
    </tr>
  );
}
