import type { SystemEventDto } from "@repokeys/api";
import type { SystemEventName } from "@repokeys/api/schemas";
import Link from "next/link";
import { DateTime } from "@/components/date-time";
import { channelLabels, displayField, eventLabels, type KeyChange, keyOf, parseChange } from "./audit-change";

/**
 * The fields an event changed: "Name: old → new" for a rename, the values for a creation or deletion (and a value
 * a rotation kept, once); in full, wrapped, since the change is what a person reads the trail for.
 */
function Change({ change }: { change: KeyChange }) {
  const before = change.before ?? {};
  const after = change.after ?? {};
  // The public key shows under What already; a rotation's new key id is its New key's, in other words.
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (field) => field !== "key" && field !== "newApikeyId",
  );
  if (fields.length === 0) return <span className="muted">—</span>;
  return (
    <dl className="values">
      {fields.map((field) => {
        const old = field in before ? displayField(field, before[field]) : null;
        const now = field in after ? displayField(field, after[field]) : null;
        const label = (old ?? now)!.label;
        return (
          <div key={field}>
            <dt>{label}</dt>
            {old && now && old.value !== now.value ? (
              <dd>
                <span className="visually-hidden">from </span>
                <span className="muted">{old.value}</span>
                <span aria-hidden="true"> → </span>
                <span className="visually-hidden"> to </span>
                {now.value}
              </dd>
            ) : (
              <dd>{(old ?? now)!.value}</dd>
            )}
          </div>
        );
      })}
    </dl>
  );
}

/**
 * Audit events, newest first. Values are rendered as text, never as markup; changes and emails wrap, names of
 * people and keys are truncated with the full text in their title. `filterHref` links a key or a person to the view filtered by them.
 */
export function AuditTable({
  events,
  filterHref,
}: {
  events: SystemEventDto[];
  filterHref: (filter: { key?: string; person?: string }) => string;
}) {
  return (
    <table className="responsive-table audit-table">
      <caption className="visually-hidden">Audit events, newest first</caption>
      <thead>
        <tr>
          <th scope="col" className="col-when">
            When
          </th>
          <th scope="col" className="col-who">
            Who
          </th>
          <th scope="col" className="col-what">
            What
          </th>
          <th scope="col">Change</th>
          <th scope="col" className="col-channel">
            Channel
          </th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => {
          const change = parseChange(e.jsonData);
          const key = keyOf(change);
          const who = e.userName ?? "Unknown user";
          return (
            <tr key={e.id} data-event-id={e.id}>
              <td data-label="When" className="cell-title">
                <DateTime iso={e.timestamp} />
              </td>
              <td data-label="Who">
                <div className="cell-stack">
                  {e.userId ? (
                    <Link href={filterHref({ person: e.userId })} className="truncate" title={`Only changes by ${who}`}>
                      {who}
                    </Link>
                  ) : (
                    <span className="truncate">{who}</span>
                  )}
                  {e.userEmail ? <span className="muted wrap-anywhere">{e.userEmail}</span> : null}
                </div>
              </td>
              <td data-label="What">
                <div className="cell-stack">
                  <span className={e.event === "deleted" ? "badge badge-danger" : "badge badge-accent"}>
                    {eventLabels[e.event as SystemEventName] ?? `Key ${e.event}`}
                  </span>
                  <Link
                    href={filterHref({ key: e.contextId })}
                    className="truncate"
                    title={`Only events of ${key.name ?? e.contextId}`}
                  >
                    {key.name ?? e.contextId}
                  </Link>
                  {key.key ? (
                    <code className="truncate" title={key.key}>
                      {key.key}
                    </code>
                  ) : null}
                </div>
              </td>
              <td data-label="Change">
                <Change change={change} />
              </td>
              <td data-label="Channel">{change.via ? (channelLabels[change.via] ?? change.via) : "—"}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
