const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** The largest whole unit in `ms` (at least a minute), or null under a minute. */
const wholeUnit = (ms: number): [number, Intl.RelativeTimeFormatUnit] | null => {
  for (const [unit, size] of units) if (ms >= size) return [Math.floor(ms / size), unit];
  return null;
};

/** "3 minutes ago", "2 days ago"; under a minute, "just now". Built-in Intl: no date library for three units. */
export function timeAgo(iso: string, now: number): string {
  const whole = wholeUnit(Math.max(0, now - Date.parse(iso)));
  return whole ? relative.format(-whole[0], whole[1]) : "just now";
}

/**
 * "in 59 minutes", "in 23 hours": the time left, rounded down so that it never promises more than is left;
 * under a minute, "in under a minute".
 */
export function timeLeft(iso: string, now: number): string {
  const whole = wholeUnit(Math.max(0, Date.parse(iso) - now));
  return whole ? relative.format(whole[0], whole[1]) : "in under a minute";
}
