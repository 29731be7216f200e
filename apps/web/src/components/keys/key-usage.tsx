import type { RepoAiApiKeyDto } from "@repokeys/api";
import { DateTime } from "@/components/date-time";
import { timeAgo } from "./time-ago";

export function isExpired(key: RepoAiApiKeyDto, now: number): boolean {
  return key.expiresAt !== null && Date.parse(key.expiresAt) <= now;
}

/** `now` is when the list was fetched, so that server and browser render the same text. */
export function LastUsed({ iso, now }: { iso: string | null; now: number }) {
  if (!iso) return <span className="muted">never used</span>;
  return (
    <time dateTime={iso} title={iso}>
      {timeAgo(iso, now)}
    </time>
  );
}

export function KeyExpiry({ apiKey, now }: { apiKey: RepoAiApiKeyDto; now: number }) {
  if (!apiKey.expiresAt) return <span className="muted">never</span>;
  if (isExpired(apiKey, now)) {
    return (
      <span className="badge badge-danger" title={apiKey.expiresAt}>
        Expired
      </span>
    );
  }
  return <DateTime iso={apiKey.expiresAt} compact />;
}
