"use client";
import type { RepoAiApiKeyDto } from "@repokeys/api";
import { aiApiKeyName, aiApiKeyNameMaxLength } from "@repokeys/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { problemWith } from "@/components/forms/name-check";
import { NameLength } from "@/components/forms/name-length";
import { useTRPC } from "@/trpc/trpc";
import { type KeysTableData, useKeysQueryKey, withEachKey } from "./use-keys-query-key";

/**
 * A key's name, renamed in place. The name is checked with the server's own schema before sending; a valid new
 * name shows at once (optimistic), marked as saving; if the server still refuses, the list goes back to what it
 * had and the server's message says why, until the person acts again (`actionCount` counts the panel's actions).
 * The rename is conditional on the key's version when editing began, so renaming from a stale screen does not
 * overwrite someone else's change: the server refuses, says what the key is called now, and the list reloads.
 * Focus stays on the row: on the Rename button after Save, Cancel or Escape.
 */
export function KeyNameCell({
  apiKey,
  canWrite,
  actionCount,
  onRenamed,
}: {
  apiKey: RepoAiApiKeyDto;
  canWrite: boolean;
  actionCount: number;
  /** Once the server has saved it: the name before and after. */
  onRenamed: (from: string, to: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryKey = useKeysQueryKey(apiKey.repoId);
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [draft, setDraft] = useState(apiKey.name);
  const [editedVersion, setEditedVersion] = useState(apiKey.version);
  const renameButton = useRef<HTMLButtonElement>(null);
  const errorId = useId();
  const problemId = useId();
  const lengthId = useId();

  const rename = useMutation(
    trpc.updateAiApiKey.mutationOptions({
      onMutate: async (input) => {
        await queryClient.cancelQueries({ queryKey });
        const previous = queryClient.getQueryData<KeysTableData>(queryKey);
        queryClient.setQueryData<KeysTableData>(queryKey, (old) =>
          withEachKey(old, (k) => (k.id === input.apikeyId ? { ...k, name: input.name?.trim() ?? k.name } : k)),
        );
        return { previous, from: apiKey.name };
      },
      // The answer names the key's new version: a next rename from this screen is not refused as stale.
      onSuccess: (data, input, context) => {
        const version = data.version;
        if (version)
          queryClient.setQueryData<KeysTableData>(queryKey, (old) =>
            withEachKey(old, (k) => (k.id === input.apikeyId ? { ...k, version } : k)),
          );
        onRenamed(context.from, input.name?.trim() ?? context.from);
      },
      onError: (_error, _input, context) => {
        if (context?.previous) queryClient.setQueryData<KeysTableData>(queryKey, context.previous);
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey }),
    }),
  );
  const { reset } = rename;
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when another action in the panel starts
  useEffect(() => reset(), [actionCount, reset]);

  const stopEditing = () => {
    setEditing(false);
    setProblem(null);
    requestAnimationFrame(() => renameButton.current?.focus());
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    const found = problemWith(aiApiKeyName, name);
    if (found) {
      setProblem(found);
      event.currentTarget.querySelector("input")?.focus();
      return;
    }
    stopEditing();
    if (name.trim() === apiKey.name) return;
    rename.mutate({ repoId: apiKey.repoId, apikeyId: apiKey.id, name, expectedVersion: editedVersion });
  };

  if (editing) {
    return (
      <form
        className="inline-form rename-form"
        noValidate
        onSubmit={submit}
        onKeyDown={(e) => e.key === "Escape" && stopEditing()}
      >
        <input
          name="name"
          className="input"
          aria-label={`New name for ${apiKey.name}`}
          value={draft}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${problemId} ${lengthId}` : lengthId}
          onChange={(e) => {
            setDraft(e.currentTarget.value);
            setProblem(null);
          }}
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
        <NameLength id={lengthId} value={draft} max={aiApiKeyNameMaxLength} />
        {problem ? (
          <p id={problemId} role="alert" className="error-text">
            {problem}
          </p>
        ) : null}
      </form>
    );
  }
  return (
    <div className="name-cell">
      <span className="key-name" title={apiKey.name}>
        {apiKey.name}
      </span>
      {rename.isPending ? (
        <span className="badge" role="status">
          Saving…
        </span>
      ) : null}
      {canWrite ? (
        <button
          ref={renameButton}
          type="button"
          className="button button-link button-small"
          aria-label={`Rename ${apiKey.name}`}
          aria-describedby={rename.isError ? errorId : undefined}
          // Not `disabled` while saving: focus returns here after Save, and a disabled button drops it to the page.
          aria-disabled={rename.isPending || undefined}
          onClick={() => {
            if (rename.isPending) return;
            rename.reset();
            setDraft(apiKey.name);
            setEditedVersion(apiKey.version);
            setEditing(true);
          }}
        >
          Rename
        </button>
      ) : null}
      {rename.isError ? (
        <p id={errorId} role="alert" className="error-text">
          Not renamed: {rename.error.message}{" "}
          <button type="button" className="button button-link button-small" onClick={() => rename.reset()}>
            Dismiss
          </button>
        </p>
      ) : null}
    </div>
  );
}
