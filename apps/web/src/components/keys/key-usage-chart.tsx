import type { KeysUsage } from "@repokeys/api";

type KeyUsageEntry = KeysUsage["keys"][number];

const dayMs = 86_400_000;
const barWidth = 2;
const barGap = 1;
const chartHeight = 16;
// Fixed locale and zone, so that server and browser render the same text (the days are UTC days).
const count = new Intl.NumberFormat("en-US");
const dayName = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

interface Day {
  day: string;
  valid: number;
  refused: number;
}

/** Every day of the window, oldest first: a day the usage does not list had no verification. */
function daysOf(usage: Pick<KeysUsage, "from" | "to">, entry: KeyUsageEntry | undefined): Day[] {
  const listed = new Map(entry?.days.map((d) => [d.day, d]));
  const first = Date.parse(`${usage.from}T00:00:00Z`);
  const last = Date.parse(`${usage.to}T00:00:00Z`);
  const days: Day[] = [];
  for (let at = first; at <= last; at += dayMs) {
    const day = new Date(at).toISOString().slice(0, 10);
    days.push(listed.get(day) ?? { day, valid: 0, refused: 0 });
  }
  return days;
}

const verifications = (n: number) => `${count.format(n)} verification${n === 1 ? "" : "s"}`;

function dayTitle(d: Day): string {
  const when = dayName.format(Date.parse(`${d.day}T00:00:00Z`));
  return `${when} (UTC): ${verifications(d.valid + d.refused)}${d.refused ? `, ${count.format(d.refused)} refused` : ""}`;
}

/**
 * A key's verifications per day as small bars, refused ones stacked on valid ones in another colour. An SVG of
 * our own, not a chart library: it is a row of rectangles with a name and a title each (no axes, no
 * interaction), which a library would only wrap. The image's name says the totals, for those who do not see
 * the bars; each bar's title says its day's numbers on hover. No visible total: the
 * keys table has no room for one beside the bars at 1280 px.
 */
export function KeyUsageChart({
  usage,
  entry,
  keyName,
}: {
  usage: Pick<KeysUsage, "from" | "to">;
  entry: KeyUsageEntry | undefined;
  keyName: string;
}) {
  const days = daysOf(usage, entry);
  const total = (entry?.valid ?? 0) + (entry?.refused ?? 0);
  const most = Math.max(1, ...days.map((d) => d.valid + d.refused));
  const height = (n: number) => (n === 0 ? 0 : Math.max(1, Math.round((n / most) * chartHeight)));
  const summary =
    `Usage of ${keyName}: ${total === 0 ? "no verifications" : verifications(total)} in the last ${days.length} days` +
    (entry?.refused ? `, ${count.format(entry.refused)} of them refused` : "");
  const width = days.length * (barWidth + barGap) - barGap;
  return (
    <svg
      role="img"
      aria-label={summary}
      viewBox={`0 0 ${width} ${chartHeight}`}
      width={width}
      height={chartHeight}
      className="usage-bars"
    >
      {days.map((d, i) => {
        const x = i * (barWidth + barGap);
        const valid = height(d.valid);
        const both = height(d.valid + d.refused);
        return (
          <g key={d.day} data-day={d.day}>
            <title>{dayTitle(d)}</title>
            {/* a full-height, invisible target, so that a quiet day's title shows on hover too */}
            <rect x={x} y={0} width={barWidth} height={chartHeight} className="usage-hit" />
            {both === 0 ? <rect x={x} y={chartHeight - 1} width={barWidth} height={1} className="usage-none" /> : null}
            {valid > 0 ? (
              <rect x={x} y={chartHeight - valid} width={barWidth} height={valid} className="usage-valid" />
            ) : null}
            {both > valid ? (
              <rect x={x} y={chartHeight - both} width={barWidth} height={both - valid} className="usage-refused" />
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
