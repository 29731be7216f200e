"use client";
import type { ApiTokenDto } from "@repokeys/api";
import { useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Announcer, useAnnouncer } from "@/components/announcer";
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
  const { announce, queue, flush, ...announcer } = useAnnouncer();
  const heading = useRef<HTMLHeadingElement>(null);

  return (
    <>
      <CreateTokenForm onCreated={(name, token) => setCreated({ name, token })} />
      <section className="card" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading" ref={heading} tabIndex={-1} className="visually-hidden">
          Your API tokens
        </h2>
        {tokens.length === 0 ? (
          <EmptyState title="No API tokens yet">
            <p>Create one above for each script or service, so you can revoke them one by one.</p>
          </EmptyState>
        ) : (
          <table className="responsive-table tokens-table">
            <caption className="visually-hidden">Your API tokens, newest first</caption>
            <thead>
              <tr>
                <th scope="col" className="col-name">
                  Name
                </th>
                <th scope="col">Prefix</th>
                <th scope="col" className="col-date">
                  Created
                </th>
                <th scope="col" className="col-date">
                  Last used
                </th>
                <th scope="col" className="col-date">
                  Expires
                </th>
                <th scope="col">Status</th>
                <th scope="col" className="col-actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <td data-label="Name" className="cell-title">
                    <span className="truncate" title={t.name}>
                      {t.name}
                    </span>
                  </td>
                  <td data-label="Prefix">
                    <code>{t.prefix}…</code>
                  </td>
                  <td data-label="Created">
                    <DateTime iso={t.createdAt} compact />
                  </td>
                  <td data-label="Last used">
                    {t.lastUsedAt ? <DateTime iso={t.lastUsedAt} compact /> : <span className="muted">Never</span>}
                  </td>
                  <td data-label="Expires">
                    {t.expiresAt ? <DateTime iso={t.expiresAt} compact /> : <span className="muted">Never</span>}
                  </td>
                  <td data-label="Status">
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
        )}
      </section>
      <OneTimeSecretDialog
        title={`Token “${created?.name ?? ""}” created`}
        values={created ? [{ label: "API token", value: created.token }] : null}
        onClose={() => {
          if (created) queue(`Token “${created.name}” created.`);
          setCreated(null);
        }}
        // The Create button was disabled while saving, so the browser has no element to return focus to.
        onClosed={() => {
          heading.current?.focus();
          flush();
        }}
      >
        <p className="muted">
          Use it as <code>Authorization: Bearer &lt;token&gt;</code>. Lost it? Revoke it and create another.
        </p>
      </OneTimeSecretDialog>
      <RevokeTokenDialog
        target={revoking}
        onClose={() => setRevoking(null)}
        onRevoked={(revoked) => {
          // Its Revoke button (where focus would return) is gone: go to the list instead.
          announce(`Token “${revoked.name}” revoked.`);
          heading.current?.focus();
        }}
      />
      <Announcer {...announcer} />
    </>
  );
}
