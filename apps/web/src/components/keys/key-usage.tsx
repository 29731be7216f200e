import type { RepoAiApiKeyDto } from "@repokeys/api";
import { DateTime, exactUtc } from "@/components/date-time";
import { timeAgo, timeLeft } from "./time-ago";

export function isExpired(key: RepoAiApiKeyDto, now: number): boolean {
  return key.expiresAt !== null && Date.parse(key.expiresAt) <= now;
}

/** `now` is when the list was fetched, so that server and browser render the same text, then the live clock. */
export function LastUsed({ iso, now }: { iso: string | null; now: number }) {
  if (!iso) return <span className="muted nowrap">never used</span>;
  return (
    <time dateTime={iso} title={iso}>
      {timeAgo(iso, now)}
    </time>
  );
}

/** A rotated key's grace is short (an hour, a day): the time it has left says more than its date. */
export function KeyExpiry({ apiKey, now }: { apiKey: RepoAiApiKeyDto; now: number }) {
  if (!apiKey.expiresAt) return <span className="muted">never</span>;
  if (isExpired(apiKey, now)) {
    return (
      <span className="badge badge-danger" title={apiKey.expiresAt}>
        Expired
      </span>
    );
  }
  if (apiKey.replacedById) {
    return (
      <time dateTime={apiKey.expiresAt} title={exactUtc(apiKey.expiresAt)}>
        {timeLeft(apiKey.expiresAt, now)}
      </time>
    );
  }
  return <DateTime iso={apiKey.expiresAt} compact />;
}
