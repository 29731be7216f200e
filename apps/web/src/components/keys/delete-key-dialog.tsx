"use client";
import type { RepoAiApiKeyDto } from "@repokeys/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { useTRPC } from "@/trpc/trpc";
import { useKeysQueryKey } from "./use-keys-query-key";

export function DeleteKeyDialog({
  repoId,
  target,
  onClose,
}: {
  repoId: string;
  target: RepoAiApiKeyDto | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryKey = useKeysQueryKey(repoId);
  const remove = useMutation(
    trpc.deleteAiApiKey.mutationOptions({
      onSuccess: async () => {
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
      title={`Delete “${target?.name ?? ""}”?`}
      confirmLabel="Delete key"
      pendingLabel="Deleting…"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => target && remove.mutate({ repoId, apikeyId: target.id })}
      onClose={close}
    >
      <p>
        Apps that still use the key <code>{target?.key}</code> will stop working at once. This cannot be undone; the
        audit trail keeps a record of the deletion.
      </p>
    </ConfirmDialog>
  );
}
