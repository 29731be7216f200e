import type { SystemEventDto } from "@repokeys/api";
import { DateTime } from "@/components/date-time";

interface ChangeData {
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  via?: string;
}

const channelNames: Record<string, string> = { web: "Web app", rest: "REST API", typed: "Typed call" };

function parseChange(jsonData: string | null): ChangeData {
  try {
    return jsonData ? (JSON.parse(jsonData) as ChangeData) : {};
  } catch {
    return {};
  }
}

function Values({ values }: { values: Record<string, unknown> | null | undefined }) {
  if (!values) return <span className="muted">—</span>;
  return (
    <dl style={{ margin: 0 }}>
      {Object.entries(values).map(([field, value]) => (
        <div key={field}>
          <dt className="visually-hidden">{field}</dt>
          <dd style={{ margin: 0 }}>
            <span className="muted">{field}:</span> {String(value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Audit events, newest first. Values are rendered as text, never as markup. */
export function AuditTable({ events }: { events: SystemEventDto[] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Audit events, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
            <th scope="col">Channel</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => {
            const change = parseChange(e.jsonData);
            return (
              <tr key={e.id}>
                <td>
                  <DateTime iso={e.timestamp} />
                </td>
                <td>
                  {e.userName ?? "Unknown user"}
                  {e.userEmail ? <div className="muted">{e.userEmail}</div> : null}
                </td>
                <td>
                  <span className={e.event === "deleted" ? "badge badge-danger" : "badge badge-accent"}>
                    Key {e.event}
                  </span>
                </td>
                <td>
                  <Values values={change.before} />
                </td>
                <td>
                  <Values values={change.after} />
                </td>
                <td>{change.via ? (channelNames[change.via] ?? change.via) : "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
