"use client";
import type { KeysUsage, RepoAiApiKeyDto } from "@repokeys/api";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Announcer, useAnnouncer } from "@/components/announcer";
import { DateTime, exactUtc } from "@/components/date-time";
import { EmptyState } from "@/components/empty-state";
import { OneTimeSecretDialog } from "@/components/one-time-secret-dialog";
import { useTRPCClient } from "@/trpc/trpc";
import { type CreatedKey, CreateKeyDialog } from "./create-key-dialog";
import { DeleteKeyDialog } from "./delete-key-dialog";
import { KeyRow } from "./key-row";
import { isExpired } from "./key-usage";
import { type KeysPage, keysTableInput, keysTablePageSize } from "./keys-table-page";
import { type RotatedKey, RotateKeyDialog } from "./rotate-key-dialog";
import { timeLeft } from "./time-ago";
import { useKeysQueryKey } from "./use-keys-query-key";
import { useNow } from "./use-now";

const rotationSummary = (rotated: RotatedKey) =>
  rotated.graceSeconds === 0
    ? `Key “${rotated.name}” rotated. The old key stopped working now.`
    : `Key “${rotated.name}” rotated. The old key works until ${exactUtc(rotated.previousExpiresAt)}, ${timeLeft(rotated.previousExpiresAt, Date.now())}.`;

/** The loaded pages' usage as one: the window is the same for every page of one load. */
const usageOf = (pages: KeysPage[]): KeysUsage | undefined =>
  pages[0]?.usage && { ...pages[0].usage, keys: pages.flatMap((page) => page.usage?.keys ?? []) };

/**
 * A repository's AI API keys, newest first, each with its usage, loaded a page of 1,000 at a time ("Load 1,000
 * more" follows the server's cursor), so that a repository of many keys never loads whole; write controls only for
 * roles that may write (the server enforces it regardless).
 * One table; at 900 px and below each row becomes a card whose cells carry their column name (`data-label`), so a new
 * column or action is one more `th` and `td`.
 */
export function KeysPanel({ repoId, canWrite, firstPage }: { repoId: string; canWrite: boolean; firstPage: KeysPage }) {
  const client = useTRPCClient();
  const queryKey = useKeysQueryKey(repoId);
  // Not tRPC's infiniteQueryOptions: it adds a `direction` field to the input, which the strict schema refuses.
  const table = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }): Promise<KeysPage> =>
      client.listAiApiKeys.query(
        pageParam === null ? keysTableInput(repoId) : { ...keysTableInput(repoId), cursor: pageParam },
      ),
    initialPageParam: null as string | null,
    initialData: { pages: [firstPage], pageParams: [null] },
    getNextPageParam: (page) => page.nextCursor ?? null,
  });
  const { dataUpdatedAt } = table;
  const keys = table.data.pages.flatMap((page) => page.apiKeys);
  const usage = usageOf(table.data.pages);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [deleting, setDeleting] = useState<RepoAiApiKeyDto | null>(null);
  const [rotating, setRotating] = useState<RepoAiApiKeyDto | null>(null);
  const [rotated, setRotated] = useState<RotatedKey | null>(null);
  const { announce, queue, flush, ...announcer } = useAnnouncer();
  const now = useNow(dataUpdatedAt);
  // Keys that a listed key in its grace was rotated into: marked as the new ones.
  const successors = new Set(keys.flatMap((k) => (k.replacedById && !isExpired(k, now) ? [k.replacedById] : [])));
  // Starting another action clears a failed rename's message (it was about an earlier attempt).
  const [actionCount, setActionCount] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const more = async () => {
    const before = keys.length;
    const { data, hasNextPage, isError } = await table.fetchNextPage();
    if (isError || !data) return announce("More keys could not be loaded. Try again.");
    const shown = data.pages.flatMap((page) => page.apiKeys).length - before;
    // The button is gone with the last page: focus goes to the table rather than to the page.
    if (!hasNextPage) heading.current?.focus();
    announce(`${shown} older key${shown === 1 ? "" : "s"} shown${hasNextPage ? "." : ": these are all the keys."}`);
  };
  const startCreating = () => {
    setActionCount((n) => n + 1);
    setCreating(true);
  };

  return (
    <>
      <div className="page-header">
        <p>
          Apps call the AI gateway with a key and its secret.{" "}
          {table.hasNextPage
            ? `The newest ${keys.length} keys are shown.`
            : `${keys.length} key${keys.length === 1 ? "" : "s"}.`}
        </p>
        {canWrite ? (
          <button type="button" className="button button-primary" onClick={startCreating}>
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
      <section className="card" aria-labelledby="keys-heading">
        <h2 id="keys-heading" ref={heading} tabIndex={-1} className="visually-hidden">
          AI API keys
        </h2>
        {keys.length === 0 ? (
          <EmptyState title="No AI API keys yet">
            <p>
              {canWrite
                ? "Create a key for each app that calls the AI gateway, so you can rotate or revoke them one by one."
                : "When a member creates a key, it appears here."}
            </p>
            {canWrite ? (
              <button type="button" className="button button-primary" onClick={startCreating}>
                Create your first key
              </button>
            ) : null}
          </EmptyState>
        ) : (
          <table className="responsive-table keys-table">
            <caption className="visually-hidden">AI API keys, newest first</caption>
            <thead>
              <tr>
                <th scope="col" className="col-name">
                  Name
                </th>
                <th scope="col" className="col-key">
                  Public key
                </th>
                <th scope="col" className="col-type">
                  AI type
                </th>
                <th scope="col" className="col-date">
                  Created
                </th>
                <th scope="col" className="col-date">
                  Expires
                </th>
                <th scope="col" className="col-used">
                  Last used, 30 days
                </th>
                {canWrite ? (
                  <th scope="col" className="col-actions">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <KeyRow
                  key={k.id}
                  apiKey={k}
                  now={now}
                  usage={usage}
                  isNew={successors.has(k.id)}
                  canWrite={canWrite}
                  actionCount={actionCount}
                  onRotate={() => {
                    setActionCount((n) => n + 1);
                    setRotating(k);
                  }}
                  onDelete={() => {
                    setActionCount((n) => n + 1);
                    setDeleting(k);
                  }}
                  onRenamed={(from, to) => announce(`Key “${from}” renamed to “${to}”.`)}
                />
              ))}
            </tbody>
          </table>
        )}
        {table.hasNextPage ? (
          <nav className="pager" aria-label="Key pages">
            <span className="muted">{keys.length} keys shown, newest first</span>
            <button
              type="button"
              className="button button-small"
              aria-disabled={table.isFetchingNextPage || undefined}
              onClick={() => !table.isFetchingNextPage && void more()}
            >
              {table.isFetchingNextPage ? "Loading…" : `Load ${keysTablePageSize.toLocaleString("en")} more`}
            </button>
          </nav>
        ) : null}
      </section>
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
                    { label: "Public key", value: created.key, listed: true },
                    { label: "Secret", value: created.secret },
                  ]
                : null
            }
            onClose={() => {
              if (created) queue(`Key “${created.name}” created.`);
              setCreated(null);
            }}
            onClosed={flush}
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
                    { label: "Public key", value: rotated.key, listed: true },
                    { label: "Secret", value: rotated.secret },
                  ]
                : null
            }
            onClose={() => {
              if (rotated) queue(rotationSummary(rotated));
              setRotated(null);
            }}
            onClosed={flush}
          >
            <p className="muted">
              The old key keeps working until <DateTime iso={rotated?.previousExpiresAt ?? null} />, then it answers
              EXPIRED. Switch your apps to the new pair before then.
            </p>
          </OneTimeSecretDialog>
          <DeleteKeyDialog
            repoId={repoId}
            target={deleting}
            onClose={() => setDeleting(null)}
            onDeleted={(deleted) => {
              // Its Delete button (where focus would return) is gone with its row: go to the list instead.
              announce(`Key “${deleted.name}” deleted.`);
              heading.current?.focus();
            }}
          />
        </>
      ) : null}
      <Announcer {...announcer} />
    </>
  );
}
