"use client";
import type { ApiTokenDto } from "@repokeys/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { useTRPC } from "@/trpc/trpc";

export function RevokeTokenDialog({ target, onClose }: { target: ApiTokenDto | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(
    trpc.revokeApiToken.mutationOptions({
      onSuccess: async () => {
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
    >
      <p>
        Scripts using the token starting <code>{target?.prefix}</code> will get 401 from now on. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
