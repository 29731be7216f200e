"use client";
import type { AiType } from "@repokeys/api";
import { aiApiKeyName, aiApiKeyNameMaxLength } from "@repokeys/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Dialog } from "@/components/dialog";
import { ErrorText } from "@/components/error-text";
import { problemWith } from "@/components/forms/name-check";
import { NameLength } from "@/components/forms/name-length";
import { useTRPC } from "@/trpc/trpc";
import { aiTypeLabels } from "./ai-type-labels";
import { useKeysQueryKey } from "./use-keys-query-key";

export interface CreatedKey {
  name: string;
  key: string;
  secret: string;
}

export function CreateKeyDialog({
  repoId,
  open,
  onClose,
  onCreated,
}: {
  repoId: string;
  open: boolean;
  onClose: () => void;
  onCreated: (created: CreatedKey) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryKey = useKeysQueryKey(repoId);
  const create = useMutation(
    trpc.createAiApiKey.mutationOptions({
      onSuccess: (created, input) => {
        onCreated({ name: input.name.trim(), key: created.key, secret: created.secret });
        void queryClient.invalidateQueries({ queryKey });
      },
    }),
  );
  const [nameProblem, setNameProblem] = useState<string | null>(null);
  const [name, setName] = useState("");
  const close = () => {
    create.reset();
    setNameProblem(null);
    setName("");
    onClose();
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get("name") ?? "");
    const problem = problemWith(aiApiKeyName, name);
    setNameProblem(problem);
    if (problem) {
      event.currentTarget.querySelector<HTMLInputElement>("#new-key-name")?.focus();
      return;
    }
    create.mutate({
      repoId,
      name,
      aiType: form.get("aiType") as AiType, // one of the options; the server checks it anyway
    });
  };
  return (
    <Dialog open={open} title="Create an AI API key" onClose={close}>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="new-key-name">Name</label>
          <input
            id="new-key-name"
            name="name"
            className="input"
            required
            value={name}
            aria-invalid={nameProblem ? true : undefined}
            aria-describedby={
              nameProblem
                ? "new-key-name-problem new-key-name-hint new-key-name-length"
                : "new-key-name-hint new-key-name-length"
            }
            onChange={(e) => {
              setName(e.currentTarget.value);
              setNameProblem(null);
            }}
          />
          {nameProblem ? (
            <span id="new-key-name-problem" className="error-text" role="alert">
              {nameProblem}
            </span>
          ) : null}
          <span id="new-key-name-hint" className="hint">
            What uses it, e.g. “checkout service, production”. Up to {aiApiKeyNameMaxLength} characters.
          </span>
          <NameLength id="new-key-name-length" value={name} max={aiApiKeyNameMaxLength} />
        </div>
        <div className="field">
          <label htmlFor="new-key-type">AI type</label>
          <select id="new-key-type" name="aiType" className="select" defaultValue="OPENAI">
            {Object.entries(aiTypeLabels).map(([type, label]) => (
              <option key={type} value={type}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <ErrorText error={create.error} />
        <div className="button-row">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create key"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
