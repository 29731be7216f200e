"use client";
import type { RepoAiApiKeyDto } from "@repokeys/api";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { DateTime } from "@/components/date-time";
import { EmptyState } from "@/components/empty-state";
import { OneTimeSecretDialog } from "@/components/one-time-secret-dialog";
import { useTRPC } from "@/trpc/trpc";
import { aiTypeLabels } from "./ai-type-labels";
import { type CreatedKey, CreateKeyDialog } from "./create-key-dialog";
import { DeleteKeyDialog } from "./delete-key-dialog";
import { KeyNameCell } from "./key-name-cell";
import { isExpired, KeyExpiry, LastUsed } from "./key-usage";
import { type RotatedKey, RotateKeyDialog } from "./rotate-key-dialog";

/** A repository's AI API keys; write controls only for roles that may write (the server enforces it regardless). */
export function KeysPanel({
  repoId,
  canWrite,
  initialKeys,
}: {
  repoId: string;
  canWrite: boolean;
  initialKeys: RepoAiApiKeyDto[];
}) {
  const trpc = useTRPC();
  const { data, dataUpdatedAt } = useQuery(
    trpc.listAiApiKeys.queryOptions({ repoId }, { initialData: { success: true, apiKeys: initialKeys } }),
  );
  const keys = data.apiKeys;
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [deleting, setDeleting] = useState<RepoAiApiKeyDto | null>(null);
  const [rotating, setRotating] = useState<RepoAiApiKeyDto | null>(null);
  const [rotated, setRotated] = useState<RotatedKey | null>(null);

  return (
    <>
      <div className="page-header">
        <p>
          Apps call the AI gateway with a key and its secret. {keys.length} key{keys.length === 1 ? "" : "s"}.
        </p>
        {canWrite ? (
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            Create key
          </button>
        ) : null}
      </div>
      {!canWrite ? (
        <p className="notice notice-info">
          You have read-only access to this repository (VIEWER): you can see its keys and audit trail but not change
          them.
        </p>
      ) : null}
      <div className="card">
        {keys.length === 0 ? (
          <EmptyState title="No AI API keys yet">
            <p>
              {canWrite
                ? "Create a key for each app that calls the AI gateway, so you can rotate or revoke them one by one."
                : "When a member creates a key, it appears here."}
            </p>
            {canWrite ? (
              <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
                Create your first key
              </button>
            ) : null}
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">AI API keys, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Public key</th>
                  <th scope="col">AI type</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  {canWrite ? (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <tr key={k.id} data-key-id={k.id} className={isExpired(k, dataUpdatedAt) ? "row-expired" : undefined}>
                    <td>
                      <KeyNameCell apiKey={k} canWrite={canWrite} />
                    </td>
                    <td>
                      <code>{k.key}</code>
                    </td>
                    <td>
                      <span className="badge">{aiTypeLabels[k.aiType]}</span>
                    </td>
                    <td>
                      <DateTime iso={k.createdAt} />
                    </td>
                    <td>
                      <KeyExpiry apiKey={k} now={dataUpdatedAt} />
                    </td>
                    <td>
                      <LastUsed iso={k.lastUsedAt} now={dataUpdatedAt} />
                    </td>
                    {canWrite ? (
                      <td className="actions">
                        {isExpired(k, dataUpdatedAt) ? null : (
                          <button
                            type="button"
                            className="button button-small"
                            aria-label={`Rotate ${k.name}`}
                            onClick={() => setRotating(k)}
                          >
                            Rotate
                          </button>
                        )}
                        <button
                          type="button"
                          className="button button-small"
                          aria-label={`Delete ${k.name}`}
                          onClick={() => setDeleting(k)}
                        >
                          Delete
                        </button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {canWrite ? (
        <>
          <CreateKeyDialog
            repoId={repoId}
            open={creating}
            onClose={() => setCreating(false)}
            onCreated={(key) => {
              setCreating(false);
              setCreated(key);
            }}
          />
          <OneTimeSecretDialog
            title={`Key “${created?.name ?? ""}” created`}
            values={
              created
                ? [
                    { label: "Public key", value: created.key },
                    { label: "Secret", value: created.secret },
                  ]
                : null
            }
            onClose={() => setCreated(null)}
          >
            <p className="muted">
              The key and secret of a key never change. To replace them, use Rotate: the old pair keeps working for a
              grace period while you switch your apps over.
            </p>
          </OneTimeSecretDialog>
          <RotateKeyDialog
            repoId={repoId}
            target={rotating}
            onClose={() => setRotating(null)}
            onRotated={(key) => {
              setRotating(null);
              setRotated(key);
            }}
          />
          <OneTimeSecretDialog
            title={`Key “${rotated?.name ?? ""}” rotated`}
            values={
              rotated
                ? [
                    { label: "Public key", value: rotated.key },
                    { label: "Secret", value: rotated.secret },
                  ]
                : null
            }
            onClose={() => setRotated(null)}
          >
            <p className="muted">
              The old key keeps working until <DateTime iso={rotated?.previousExpiresAt ?? null} />, then it answers
              EXPIRED. Switch your apps to the new pair before then.
            </p>
          </OneTimeSecretDialog>
          <DeleteKeyDialog repoId={repoId} target={deleting} onClose={() => setDeleting(null)} />
        </>
      ) : null}
    </>
  );
}
