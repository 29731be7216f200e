"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { ErrorText } from "@/components/error-text";
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
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const days = Number(form.get("expiresInDays"));
    create.mutate(
      { name: String(form.get("name") ?? ""), expiresInDays: days > 0 ? days : undefined },
      { onSuccess: () => formElement.reset() },
    );
  };
  return (
    <form onSubmit={submit} className="card card-body" style={{ marginBottom: 16 }}>
      <h2>Create a token</h2>
      <div className="inline-form" style={{ alignItems: "flex-end" }}>
        <div className="field" style={{ flex: "2 1 220px", marginBottom: 0 }}>
          <label htmlFor="token-name">Name</label>
          <input id="token-name" name="name" className="input" required maxLength={100} placeholder="deploy script" />
        </div>
        <div className="field" style={{ flex: "1 1 140px", marginBottom: 0 }}>
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
      <ErrorText error={create.error} />
    </form>
  );
}
