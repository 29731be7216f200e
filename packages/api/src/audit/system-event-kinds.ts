import { type SystemEventContext, type SystemEventName, systemEventChannels } from "../schemas/system-event";

export interface SystemEventKind {
  context: SystemEventContext;
  event: SystemEventName;
  /** The channel column; '' for an event written without one. */
  via: string;
}

const anyChannel = [...systemEventChannels, ""];
const kinds = (context: SystemEventContext, events: SystemEventName[], vias: readonly string[]) =>
  events.flatMap((event) => vias.map((via) => ({ context, event, via })));

/**
 * Every (context, event, via) the callers of recordSystemEventCte write, per partition. The listing reads one
 * index range per kind, so that a filter on context, event or via is an index bound rather than a row-by-row
 * check: a writer of a new kind must add it here, or the listing does not show its events.
 */
export const workspaceEventKinds: readonly SystemEventKind[] = [
  // routers/ai-api-key/*.handler.ts
  ...kinds("aillmapikey", ["created", "updated", "deleted", "rotated"], anyChannel),
  // admin/operator-actions.ts (setMember)
  ...kinds("workspaceuser", ["created", "updated"], ["operator", ""]),
];

/** A person's own events, which belong to no workspace: routers/api-token/*.handler.ts. */
export const personalEventKinds: readonly SystemEventKind[] = kinds("apikey", ["created", "deleted"], anyChannel);
