"use client";
import type { RepoAiApiKeyDto } from "@repokeys/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Dialog } from "@/components/dialog";
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
    <Dialog open={target !== null} title={`Delete “${target?.name ?? ""}”?`} onClose={close}>
      <p>
        Apps that still use the key <code>{target?.key}</code> will stop working at once. This cannot be undone; the
        audit trail keeps a record of the deletion.
      </p>
      {remove.isError ? (
        <p role="alert" className="error-text">
          {remove.error.message}
        </p>
      ) : null}
      <div className="button-row">
        <button type="button" className="button" onClick={close}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={remove.isPending}
          onClick={() => target && remove.mutate({ repoId, apikeyId: target.id })}
        >
          {remove.isPending ? "Deleting…" : "Delete key"}
        </button>
      </div>
    </Dialog>
  );
}
