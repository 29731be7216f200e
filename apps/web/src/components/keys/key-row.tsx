"use client";
import type { KeysUsage, RepoAiApiKeyDto } from "@repokeys/api";
import { CopyButton } from "@/components/copy-button";
import { DateTime } from "@/components/date-time";
import { type MenuAction, MenuButton } from "@/components/menu-button";
import { aiTypeLabels } from "./ai-type-labels";
import { KeyNameCell } from "./key-name-cell";
import { isExpired, KeyExpiry, LastUsed } from "./key-usage";
import { KeyUsageChart } from "./key-usage-chart";
import { timeLeft } from "./time-ago";

/**
 * One key of the keys table. A rotated key in its grace is marked as the old one with the time it has left, and
 * its successor as the new one; the old key offers Delete (to end its grace early) but not Rotate, which the
 * server refuses for it (its successor is the key to rotate). `now` is live, so the marks count down.
 */
export function KeyRow({
  apiKey,
  now,
  usage,
  isNew,
  canWrite,
  actionCount,
  onRotate,
  onDelete,
  onRenamed,
}: {
  apiKey: RepoAiApiKeyDto;
  now: number;
  /** The list's usage (its window and each key's counts); without it the row shows none. */
  usage: KeysUsage | undefined;
  /** A listed key in its grace was rotated into this one. */
  isNew: boolean;
  canWrite: boolean;
  actionCount: number;
  onRotate: () => void;
  onDelete: () => void;
  onRenamed: (from: string, to: string) => void;
}) {
  const expired = isExpired(apiKey, now);
  const old = apiKey.replacedById !== null && !expired;
  const actions: MenuAction[] = [
    ...(expired || old ? [] : [{ label: "Rotate…", onSelect: onRotate }]),
    { label: "Delete…", onSelect: onDelete },
  ];
  return (
    <tr data-key-id={apiKey.id} className={expired ? "row-expired" : undefined}>
      <td data-label="Name" className="cell-title">
        <KeyNameCell apiKey={apiKey} canWrite={canWrite} actionCount={actionCount} onRenamed={onRenamed} />
        {old && apiKey.expiresAt ? (
          <span className="badge badge-warning key-mark">Old key, expires {timeLeft(apiKey.expiresAt, now)}</span>
        ) : isNew ? (
          <span className="badge badge-accent key-mark">New key</span>
        ) : null}
      </td>
      <td data-label="Public key">
        {apiKey.key ? (
          <div className="copy-inline">
            <code className="truncate" title={apiKey.key}>
              {apiKey.key}
            </code>
            <CopyButton value={apiKey.key} label={`public key of ${apiKey.name}`} />
          </div>
        ) : null}
      </td>
      <td data-label="AI type">
        <span className="badge">{aiTypeLabels[apiKey.aiType]}</span>
      </td>
      <td data-label="Created">
        <DateTime iso={apiKey.createdAt} compact />
      </td>
      <td data-label="Expires">
        <KeyExpiry apiKey={apiKey} now={now} />
      </td>
      <td data-label="Last used, 30 days">
        <div className="cell-stack">
          <LastUsed iso={apiKey.lastUsedAt} now={now} />
          {usage ? (
            <KeyUsageChart
              usage={usage}
              entry={usage.keys.find((k) => k.apikeyId === apiKey.id)}
              keyName={apiKey.name}
            />
          ) : null}
        </div>
      </td>
      {canWrite ? (
        <td className="actions">
          <MenuButton text="Actions" about={apiKey.name} actions={actions} />
        </td>
      ) : null}
    </tr>
  );
}
