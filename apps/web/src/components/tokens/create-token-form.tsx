"use client";
import { apiTokenName, apiTokenNameMaxLength } from "@repokeys/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ErrorText } from "@/components/error-text";
import { problemWith } from "@/components/forms/name-check";
import { NameLength } from "@/components/forms/name-length";
import { useTRPC } from "@/trpc/trpc";

const expiryChoices = [
  { label: "30 days", days: 30 },
  { label: "90 days", days: 90 },
  { label: "1 year", days: 365 },
  { label: "Never", days: 0 },
];

export function CreateTokenForm({ onCreated }: { onCreated: (name: string, token: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.createApiToken.mutationOptions({
      onSuccess: (created) => {
        onCreated(created.apiToken.name, created.token);
        void queryClient.invalidateQueries({ queryKey: trpc.listApiTokens.queryKey() });
      },
    }),
  );
  const [nameProblem, setNameProblem] = useState<string | null>(null);
  const [name, setName] = useState("");
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const problem = problemWith(apiTokenName, String(form.get("name") ?? ""));
    setNameProblem(problem);
    if (problem) {
      formElement.querySelector<HTMLInputElement>("#token-name")?.focus();
      return;
    }
    const days = Number(form.get("expiresInDays"));
    create.mutate(
      { name: String(form.get("name") ?? ""), expiresInDays: days > 0 ? days : undefined },
      {
        onSuccess: () => {
          formElement.reset();
          setName("");
        },
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate className="card card-body" style={{ marginBottom: 16 }}>
      <h2>Create a token</h2>
      <div className="field-row">
        <div className="field field-grow">
          <label htmlFor="token-name">Name</label>
          <input
            id="token-name"
            name="name"
            className="input"
            required
            placeholder="deploy script"
            value={name}
            aria-invalid={nameProblem ? true : undefined}
            aria-describedby={nameProblem ? "token-name-problem token-name-length" : "token-name-length"}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setNameProblem(null);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="token-expiry">Expires after</label>
          <select id="token-expiry" name="expiresInDays" className="select" defaultValue="90">
            {expiryChoices.map((c) => (
              <option key={c.days} value={c.days}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create token"}
        </button>
      </div>
      {/* Under the row, not the input: the row's fields and button stay aligned on their bottom edge. */}
      <NameLength id="token-name-length" value={name} max={apiTokenNameMaxLength} />
      {nameProblem ? (
        <p id="token-name-problem" role="alert" className="error-text">
          {nameProblem}
        </p>
      ) : null}
      <ErrorText error={create.error} />
    </form>
  );
}
