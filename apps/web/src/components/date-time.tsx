/** `2026-11-28 12:00:00 UTC`: to the second, in UTC. */
export const exactUtc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

/**
 * A timestamp to the second with its time zone (UTC, so that server and browser render the same text and people
 * in different zones read the same value); `compact` shows the day only (lists of keys and tokens), the exact
 * time staying in the title.
 */
export function DateTime({ iso, compact = false }: { iso: string | null; compact?: boolean }) {
  if (!iso) return <span className="muted">—</span>;
  const exact = exactUtc(iso);
  const text = compact ? iso.slice(0, 10) : exact;
  return (
    <time dateTime={iso} title={exact} className="nowrap">
      {text}
    </time>
  );
}
