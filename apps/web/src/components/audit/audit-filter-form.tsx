import { systemEventChannels, systemEventNames } from "@repokeys/api/schemas";
import Link from "next/link";
import type { AuditFilters } from "@/server/audit-filters";
import { channelLabels, eventLabels } from "./audit-change";

const rangeBounds = [
  { name: "from", label: "From" },
  { name: "to", label: "To" },
] as const;

export interface Choice {
  id: string;
  label: string;
}

/**
 * The audit trail's filters as a plain GET form: the filtered view is a URL that can be shared or bookmarked,
 * and the form works before (and without) the page's scripts.
 */
export function AuditFilterForm({
  action,
  filters,
  rangeProblem,
  keys,
  people,
}: {
  action: string;
  filters: AuditFilters;
  /** Why the time range as given is not applied; the fields keep it, to be corrected. */
  rangeProblem: string | null;
  keys: Choice[];
  people: Choice[];
}) {
  const rangeInvalid = rangeProblem
    ? { "aria-invalid": true as const, "aria-describedby": "filter-range-problem" }
    : {};
  return (
    <form method="get" action={action} className="card card-body filter-form" aria-labelledby="filters-heading">
      <h2 id="filters-heading" className="h3">
        Filter events
      </h2>
      <div className="filter-grid">
        <div className="field">
          <label htmlFor="filter-key">Key</label>
          <select id="filter-key" name="key" className="select" defaultValue={filters.key ?? ""}>
            <option value="">Any key</option>
            {keys.map((k) => (
              <option key={k.id} value={k.id}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-person">Person</label>
          <select id="filter-person" name="person" className="select" defaultValue={filters.person ?? ""}>
            <option value="">Anyone</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-event">Event</label>
          <select id="filter-event" name="event" className="select" defaultValue={filters.event ?? ""}>
            <option value="">Any event</option>
            {systemEventNames.map((name) => (
              <option key={name} value={name}>
                {eventLabels[name]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-via">Channel</label>
          <select id="filter-via" name="via" className="select" defaultValue={filters.via ?? ""}>
            <option value="">Any channel</option>
            {systemEventChannels.map((channel) => (
              <option key={channel} value={channel}>
                {channelLabels[channel]}
              </option>
            ))}
          </select>
        </div>
        {rangeBounds.map(({ name, label }) => (
          <div className="field" key={name}>
            <label htmlFor={`filter-${name}`}>{label} (UTC)</label>
            <input
              id={`filter-${name}`}
              name={name}
              type="datetime-local"
              step={1}
              className="input"
              defaultValue={filters[name]}
              {...rangeInvalid}
            />
          </div>
        ))}
      </div>
      {rangeProblem ? (
        <p id="filter-range-problem" role="alert" className="error-text">
          {rangeProblem}
        </p>
      ) : null}
      <div className="button-row button-row-start">
        <button type="submit" className="button button-primary">
          Apply filters
        </button>
        <Link href={action} className="button">
          Clear
        </Link>
      </div>
    </form>
  );
}
