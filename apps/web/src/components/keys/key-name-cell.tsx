"use client";
import type { RepoAiApiKeyDto } from "@repokeys/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useRef, useState } from "react";
import { useTRPC } from "@/trpc/trpc";
import { useKeysQueryKey } from "./use-keys-query-key";

/**
 * A key's name, renamed in place. The new name shows at once (optimistic), marked as saving; if the server refuses,
 * the list goes back to what it had and the server's own message says why.
 */
export function KeyNameCell({ apiKey, canWrite }: { apiKey: RepoAiApiKeyDto; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryKey = useKeysQueryKey(apiKey.repoId);
  const [editing, setEditing] = useState(false);
  const renameButton = useRef<HTMLButtonElement>(null);
  const errorId = useId();

  const rename = useMutation(
    trpc.updateAiApiKey.mutationOptions({
      onMutate: async (input) => {
        await queryClient.cancelQueries({ queryKey });
        const previous = queryClient.getQueryData(queryKey);
        queryClient.setQueryData(queryKey, (old) =>
          old
            ? {
                ...old,
                apiKeys: old.apiKeys.map((k) => (k.id === input.apikeyId ? { ...k, name: input.name ?? k.name } : k)),
              }
            : old,
        );
        return { previous };
      },
      onError: (_error, _input, context) => {
        if (context?.previous) queryClient.setQueryData(queryKey, context.previous);
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey }),
    }),
  );

  const stopEditing = () => {
    setEditing(false);
    requestAnimationFrame(() => renameButton.current?.focus());
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    stopEditing();
    if (name === apiKey.name) return;
    rename.mutate({ repoId: apiKey.repoId, apikeyId: apiKey.id, name });
  };

  if (editing) {
    return (
      <form className="inline-form" onSubmit={submit} onKeyDown={(e) => e.key === "Escape" && stopEditing()}>
        <input
          name="name"
          className="input"
          aria-label={`New name for ${apiKey.name}`}
          defaultValue={apiKey.name}
          // biome-ignore lint/a11y/noAutofocus: the person just asked to edit this field
          autoFocus
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="submit" className="button button-primary button-small">
          Save
        </button>
        <button type="button" className="button button-small" onClick={stopEditing}>
          Cancel
        </button>
      </form>
    );
  }
  return (
    <div>
      <span className="key-name">{apiKey.name}</span>{" "}
      {rename.isPending ? (
        <span className="badge" role="status">
          Saving…
        </span>
      ) : null}
      {canWrite ? (
        <>
          {" "}
          <button
            ref={renameButton}
            type="button"
            className="button button-link button-small"
            aria-label={`Rename ${apiKey.name}`}
            aria-describedby={rename.isError ? errorId : undefined}
            disabled={rename.isPending}
            onClick={() => {
              rename.reset();
              setEditing(true);
            }}
          >
            Rename
          </button>
        </>
      ) : null}
      {rename.isError ? (
        <p id={errorId} role="alert" className="error-text">
          Not renamed: {rename.error.message}
        </p>
      ) : null}
    </div>
  );
}
