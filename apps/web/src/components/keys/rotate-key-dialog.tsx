"use client";
import type { RepoAiApiKeyDto } from "@repokeys/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Dialog } from "@/components/dialog";
import { ErrorText } from "@/components/error-text";
import { useTRPC } from "@/trpc/trpc";
import { useKeysQueryKey } from "./use-keys-query-key";

export interface RotatedKey {
  name: string;
  key: string;
  secret: string;
  previousExpiresAt: string;
  graceSeconds: number;
}

/**
 * Fixed choices within the API's range (0 to 7 days; the server checks it). Values are not imported from
 * `@repokeys/api` here: this is a browser component, and that package is the server.
 */
const defaultGraceSeconds = 86_400;
const graceChoices = [
  { seconds: 0, label: "None: the old key stops now" },
  { seconds: 3_600, label: "1 hour" },
  { seconds: defaultGraceSeconds, label: "1 day" },
  { seconds: 604_800, label: "7 days" },
];

/** Replaces a key's key and secret; the old pair keeps working for the chosen grace period. */
export function RotateKeyDialog({
  repoId,
  target,
  onClose,
  onRotated,
}: {
  repoId: string;
  target: RepoAiApiKeyDto | null;
  onClose: () => void;
  onRotated: (rotated: RotatedKey) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryKey = useKeysQueryKey(repoId);
  const rotate = useMutation(
    trpc.rotateAiApiKey.mutationOptions({
      onSuccess: (rotated, input) => {
        onRotated({
          name: target?.name ?? "",
          key: rotated.key,
          secret: rotated.secret,
          previousExpiresAt: rotated.previousExpiresAt,
          graceSeconds: input.graceSeconds ?? defaultGraceSeconds,
        });
        void queryClient.invalidateQueries({ queryKey });
      },
    }),
  );
  const close = () => {
    rotate.reset();
    onClose();
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!target) return;
    const graceSeconds = Number(new FormData(event.currentTarget).get("graceSeconds"));
    rotate.mutate({ repoId, apikeyId: target.id, graceSeconds });
  };
  return (
    <Dialog open={target !== null} title={`Rotate “${target?.name ?? ""}”?`} onClose={close}>
      <form onSubmit={submit}>
        <p>
          This makes a new key and secret with the same name and AI type. Switch your apps to the new pair; the old key{" "}
          <code>{target?.key}</code> keeps working until the grace period ends.
        </p>
        <div className="field">
          <label htmlFor="rotate-grace">Grace period for the old key</label>
          <select id="rotate-grace" name="graceSeconds" className="select" defaultValue={String(defaultGraceSeconds)}>
            {graceChoices.map((choice) => (
              <option key={choice.seconds} value={choice.seconds}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        <ErrorText error={rotate.error} />
        <div className="button-row">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={rotate.isPending}>
            {rotate.isPending ? "Rotating…" : "Rotate key"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
