import { eventLabel } from "./event-labels";

/** The events an endpoint is sent, as badges that wrap; each event's name as receivers see it is in its title. */
export function EventList({ events }: { events: string[] }) {
  return (
    <ul className="event-list" aria-label="Events">
      {events.map((event) => (
        <li key={event}>
          <span className="badge" title={event}>
            {eventLabel(event)}
          </span>
        </li>
      ))}
    </ul>
  );
}
