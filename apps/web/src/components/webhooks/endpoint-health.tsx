"use client";
import type { WebhookEndpointDto } from "@repokeys/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ErrorText } from "@/components/error-text";
import { useTRPC } from "@/trpc/trpc";
import { useEndpointsQueryKey } from "./use-endpoints-query-key";

/**
 * What the server says of an endpoint's sending, when there is something to say: paused after too many failed
 * attempts in a row (nothing is sent until someone resumes it, with the button here, and changes meanwhile are
 * not queued for it), and changes not sent to it, because it was paused or the workspace had too many waiting.
 */
export function EndpointHealth({ workspaceId, endpoint }: { workspaceId: string; endpoint: WebhookEndpointDto }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryKey = useEndpointsQueryKey(workspaceId);
  const resume = useMutation(
    trpc.resumeWebhookEndpoint.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey }),
    }),
  );
  if (!endpoint.pausedAt && endpoint.droppedDeliveries === 0) return null;
  return (
    <div className="cell-stack" data-endpoint-health>
      {endpoint.pausedAt && (
        <>
          <span className="badge badge-danger" title="Nothing is sent to it until it is resumed">
            Paused
          </span>
          <span className="muted">
            After {endpoint.failuresInARow} failed attempts in a row. What waits is sent once it is resumed; changes
            meanwhile are not sent to it.
          </span>
          <button
            type="button"
            className="button button-small"
            disabled={resume.isPending}
            aria-label={`Resume sending to ${endpoint.url}`}
            onClick={() => resume.mutate({ workspaceId, endpointId: endpoint.id })}
          >
            {resume.isPending ? "Resuming…" : "Resume"}
          </button>
          <ErrorText error={resume.error} />
        </>
      )}
      {endpoint.droppedDeliveries > 0 && (
        <span
          className="badge badge-warning"
          title="Changes not sent to it: it was paused, or the workspace had too many deliveries waiting"
        >
          {endpoint.droppedDeliveries} not sent
        </span>
      )}
    </div>
  );
}
