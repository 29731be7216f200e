"use client";
import type { RepoAiApiKeyDto } from "@repokeys/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { useTRPC } from "@/trpc/trpc";
import { useKeysQueryKey } from "./use-keys-query-key";

export function DeleteKeyDialog({
  repoId,
  target,
  onClose,
  onDeleted,
}: {
  repoId: string;
  target: RepoAiApiKeyDto | null;
  onClose: () => void;
  /** Once the dialog has closed: the deleted key's row (and the button that opened this) is gone. */
  onDeleted: (deleted: RepoAiApiKeyDto) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryKey = useKeysQueryKey(repoId);
  const deleted = useRef<RepoAiApiKeyDto | null>(null);
  const remove = useMutation(
    trpc.deleteAiApiKey.mutationOptions({
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
      title={`Delete “${target?.name ?? ""}”?`}
      confirmLabel="Delete key"
      pendingLabel="Deleting…"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => target && remove.mutate({ repoId, apikeyId: target.id })}
      onClose={close}
      onClosed={() => {
        if (deleted.current) onDeleted(deleted.current);
        deleted.current = null;
      }}
    >
      <p>
        Apps that still use the key <code>{target?.key}</code> will stop working at once
        {target?.replacedById ? ", before its grace period ends (its new key is not affected)" : ""}. This cannot be
        undone; the audit trail keeps a record of the deletion.
      </p>
    </ConfirmDialog>
  );
}
