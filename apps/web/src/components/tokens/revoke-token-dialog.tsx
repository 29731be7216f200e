"use client";
import type { ApiTokenDto } from "@repokeys/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { useTRPC } from "@/trpc/trpc";

export function RevokeTokenDialog({
  target,
  onClose,
  onRevoked,
}: {
  target: ApiTokenDto | null;
  onClose: () => void;
  /** Once the dialog has closed: the Revoke button that opened it is gone. */
  onRevoked: (revoked: ApiTokenDto) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoked = useRef<ApiTokenDto | null>(null);
  const revoke = useMutation(
    trpc.revokeApiToken.mutationOptions({
      onSuccess: async () => {
        revoked.current = target;
        await queryClient.invalidateQueries({ queryKey: trpc.listApiTokens.queryKey() });
        close();
      },
    }),
  );
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={target !== null}
      title={`Revoke “${target?.name ?? ""}”?`}
      confirmLabel="Revoke token"
      pendingLabel="Revoking…"
      pending={revoke.isPending}
      error={revoke.error}
      onConfirm={() => target && revoke.mutate({ id: target.id })}
      onClose={close}
      onClosed={() => {
        if (revoked.current) onRevoked(revoked.current);
        revoked.current = null;
      }}
    >
      <p>
        Scripts using the token starting <code>{target?.prefix}</code> will get 401 from now on. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
