"use client";
import type { WebhookEndpointDto } from "@repokeys/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { useTRPC } from "@/trpc/trpc";
import { useEndpointsQueryKey } from "./use-endpoints-query-key";

export function DeleteEndpointDialog({
  workspaceId,
  target,
  onClose,
  onDeleted,
}: {
  workspaceId: string;
  target: WebhookEndpointDto | null;
  onClose: () => void;
  /** Once the dialog has closed: the deleted endpoint's row (and the button that opened this) is gone. */
  onDeleted: (deleted: WebhookEndpointDto) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryKey = useEndpointsQueryKey(workspaceId);
  const deleted = useRef<WebhookEndpointDto | null>(null);
  const remove = useMutation(
    trpc.deleteWebhookEndpoint.mutationOptions({
      onSuccess: async () => {
        deleted.current = target;
        await queryClient.invalidateQueries({ queryKey });
        close();
      },
    }),
  );
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={target !== null}
      title="Delete this webhook endpoint?"
      confirmLabel="Delete endpoint"
      pendingLabel="Deleting…"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => target && remove.mutate({ workspaceId, endpointId: target.id })}
      onClose={close}
      onClosed={() => {
        if (deleted.current) onDeleted(deleted.current);
        deleted.current = null;
      }}
    >
      <p className="wrap-anywhere">
        <code>{target?.url}</code> will not be sent any more events, and its delivery log is deleted with it. This
        cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
