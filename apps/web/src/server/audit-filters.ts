import {
  type SystemEventChannel,
  type SystemEventName,
  systemEventChannels,
  systemEventNames,
} from "@repokeys/api/schemas";

/** The audit trail's filters as they appear in its URL, so that a filtered view can be shared. */
export interface AuditFilters {
  key?: string;
  person?: string;
  event?: SystemEventName;
  via?: SystemEventChannel;
  /** `YYYY-MM-DDTHH:MM[:SS]`, in UTC, as a datetime-local input sends it. */
  from?: string;
  to?: string;
}

type Params = Record<string, string | string[] | undefined>;

const one = (params: Params, name: string) => {
  const value = params[name];
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text ? text.slice(0, 200) : undefined;
};
const oneOf = <T extends string>(names: readonly T[], value: string | undefined) => names.find((n) => n === value);

/** Reads the filters; unknown values of the choice filters are dropped, the rest is for the API to judge. */
export function auditFiltersFrom(params: Params): AuditFilters {
  return {
    key: one(params, "key"),
    person: one(params, "person"),
    event: oneOf(systemEventNames, one(params, "event")),
    via: oneOf(systemEventChannels, one(params, "via")),
    from: one(params, "from"),
    to: one(params, "to"),
  };
}

/** A datetime-local value read as UTC; the API rejects anything that is still not an ISO timestamp. */
const utc = (local: string | undefined) => {
  if (!local) return undefined;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) return `${local}:00Z`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(local)) return `${local}Z`;
  return local;
};

/** The filters as `listSystemEvents` takes them (Flashback's fields), for one repository's key events. */
export function systemEventQueryOf(repoId: string, filters: AuditFilters) {
  return {
    repoId,
    context: "aillmapikey" as const,
    contextId: filters.key,
    userId: filters.person,
    event: filters.event,
    via: filters.via,
    from_timestamp: utc(filters.from),
    to_timestamp: utc(filters.to),
  };
}

/** The query string of a view: the filters that are set, plus any extra parameters (page, format). */
export function auditQueryString(filters: AuditFilters, extra: Record<string, string | number> = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...filters, ...extra }))
    if (value !== undefined && value !== "") query.set(name, String(value));
  const text = query.toString();
  return text ? `?${text}` : "";
}

export const hasFilters = (filters: AuditFilters) => Object.values(filters).some((v) => v !== undefined);
