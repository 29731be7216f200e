"use client";
import type { ApiTokenDto } from "@repokeys/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Dialog } from "@/components/dialog";
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
    <Dialog open={target !== null} title={`Revoke “${target?.name ?? ""}”?`} onClose={close}>
      <p>
        Scripts using the token starting <code>{target?.prefix}</code> will get 401 from now on. This cannot be undone.
      </p>
      {revoke.isError ? (
        <p role="alert" className="error-text">
          {revoke.error.message}
        </p>
      ) : null}
      <div className="button-row">
        <button type="button" className="button" onClick={close}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={revoke.isPending}
          onClick={() => target && revoke.mutate({ id: target.id })}
        >
          {revoke.isPending ? "Revoking…" : "Revoke token"}
        </button>
      </div>
    </Dialog>
  );
}
