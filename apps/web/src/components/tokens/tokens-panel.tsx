"use client";
import type { ApiTokenDto } from "@repokeys/api";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { DateTime } from "@/components/date-time";
import { EmptyState } from "@/components/empty-state";
import { OneTimeSecretDialog } from "@/components/one-time-secret-dialog";
import { useTRPC } from "@/trpc/trpc";
import { CreateTokenForm } from "./create-token-form";
import { RevokeTokenDialog } from "./revoke-token-dialog";
import { TokenStatus } from "./token-status";

export function TokensPanel({ initialTokens }: { initialTokens: ApiTokenDto[] }) {
  const trpc = useTRPC();
  const { data: tokens, dataUpdatedAt } = useQuery(
    trpc.listApiTokens.queryOptions(undefined, { initialData: initialTokens }),
  );
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiTokenDto | null>(null);

  return (
    <>
      <CreateTokenForm onCreated={(name, token) => setCreated({ name, token })} />
      <div className="card">
        {tokens.length === 0 ? (
          <EmptyState title="No API tokens yet">
            <p>Create one above for each script or service, so you can revoke them one by one.</p>
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Your API tokens, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Prefix</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id}>
                    <td>{t.name}</td>
                    <td>
                      <code>{t.prefix}…</code>
                    </td>
                    <td>
                      <DateTime iso={t.createdAt} />
                    </td>
                    <td>{t.lastUsedAt ? <DateTime iso={t.lastUsedAt} /> : <span className="muted">Never</span>}</td>
                    <td>{t.expiresAt ? <DateTime iso={t.expiresAt} /> : <span className="muted">Never</span>}</td>
                    <td>
                      <TokenStatus token={t} now={dataUpdatedAt} />
                    </td>
                    <td className="actions">
                      {t.revokedAt ? null : (
                        <button
                          type="button"
                          className="button button-small"
                          aria-label={`Revoke ${t.name}`}
                          onClick={() => setRevoking(t)}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <OneTimeSecretDialog
        title={`Token “${created?.name ?? ""}” created`}
        values={created ? [{ label: "API token", value: created.token }] : null}
        onClose={() => setCreated(null)}
      >
        <p className="muted">
          Use it as <code>Authorization: Bearer &lt;token&gt;</code>. Lost it? Revoke it and create another.
        </p>
      </OneTimeSecretDialog>
      <RevokeTokenDialog target={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}
