"use client";
import type { WebhookEndpointDto } from "@repokeys/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { useTRPC } from "@/trpc/trpc";
import { useEndpointsQueryKey } from "./use-endpoints-query-key";

export interface RotatedSecret {
  url: string;
  secret: string;
}

/** Replaces an endpoint's signing secret; the new one is then shown once (by the panel). */
export function RotateSecretDialog({
  workspaceId,
  target,
  onClose,
  onRotated,
}: {
  workspaceId: string;
  target: WebhookEndpointDto | null;
  onClose: () => void;
  onRotated: (rotated: RotatedSecret) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryKey = useEndpointsQueryKey(workspaceId);
  const rotate = useMutation(
    trpc.rotateWebhookSecret.mutationOptions({
      onSuccess: (answer) => {
        onRotated({ url: target?.url ?? "", secret: answer.secret });
        void queryClient.invalidateQueries({ queryKey });
      },
    }),
  );
  const close = () => {
    rotate.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={target !== null}
      title="Rotate the signing secret?"
      confirmLabel="Rotate secret"
      pendingLabel="Rotating…"
      pending={rotate.isPending}
      error={rotate.error}
      onConfirm={() => target && rotate.mutate({ workspaceId, endpointId: target.id })}
      onClose={close}
    >
      <p className="wrap-anywhere">
        Deliveries to <code>{target?.url}</code> are signed with a new secret from now on; the current one stops being
        used. The new secret is shown once: update your receiver with it.
      </p>
    </ConfirmDialog>
  );
}
