import type { SystemEventDto } from "@repokeys/api";
import { maxSystemEventSkip, maxSystemEventTotal, timeRangeInOrder } from "@repokeys/api/schemas";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { keyOf, parseChange } from "@/components/audit/audit-change";
import { AuditFilterForm, type Choice } from "@/components/audit/audit-filter-form";
import { AuditTable } from "@/components/audit/audit-table";
import { EmptyState } from "@/components/empty-state";
import { RepoHeader } from "@/components/repo-header";
import { auditFiltersFrom, auditQueryString, hasFilters, systemEventQueryOf } from "@/server/audit-filters";
import { webCaller } from "@/server/caller";
import { repoPageMetadata } from "@/server/repo-page";
import { requireActor } from "@/server/session";
import { repoOf } from "@/server/workspaces";

const pageSize = 20;

/** The API's refusal of a filter. Not `instanceof TRPCError`: the router runs outside Next's bundle (server.ts). */
const isBadRequest = (error: unknown): error is Error =>
  error instanceof Error && (error as { code?: unknown }).code === "BAD_REQUEST";

type Props = {
  params: Promise<{ repoId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props) {
  return repoPageMetadata((await params).repoId, "Audit trail");
}

/**
 * The name a key no longer listed (deleted) had last: its newest event's (one event read). Undefined when it has
 * no event here, or the id cannot be one (the API refuses it).
 */
async function lastKnownName(caller: ReturnType<typeof webCaller>, repoId: string, keyId: string) {
  const newest = await caller
    .listSystemEvents({ ...systemEventQueryOf(repoId, { key: keyId }), take: 1 })
    .catch((error: unknown) => (isBadRequest(error) ? null : Promise.reject(error)));
  const event = newest?.events[0];
  return event ? keyOf(parseChange(event.jsonData)).name : undefined;
}

/** Choices for a filter: what is known (live keys, the people on this page), and the current value kept. */
function choices(known: Map<string, string>, selected: string | undefined): Choice[] {
  if (selected && !known.has(selected)) known.set(selected, selected);
  return [...known].map(([id, label]) => ({ id, label }));
}

export default async function RepoAuditPage({ params, searchParams }: Props) {
  const { repoId } = await params;
  const query = await searchParams;
  const asked = auditFiltersFrom(query);
  // An inverted time range is explained at its fields and left out, not sent to be refused with everything else.
  const rangeInOrder = timeRangeInOrder(systemEventQueryOf(repoId, asked));
  const filters = rangeInOrder ? asked : { ...asked, from: undefined, to: undefined };
  const requested = Number(query.page ?? 1);
  const page = Number.isInteger(requested) && requested > 0 ? requested : 1;
  const path = `/repos/${encodeURIComponent(repoId)}/audit`;
  const actor = await requireActor(`${path}${auditQueryString(asked, page > 1 ? { page } : {})}`);
  const found = await repoOf(actor, repoId);
  if (!found) notFound();
  const caller = webCaller(actor);
  // The API pages by number up to maxSystemEventSkip and counts up to maxSystemEventTotal; a page past them (an old
  // link, a hand-edited URL) goes to the last page there is.
  const lastReachable = Math.floor(maxSystemEventSkip / pageSize) + 1;
  if (page > lastReachable) redirect(`${path}${auditQueryString(filters, { page: lastReachable })}`);

  let events: SystemEventDto[] = [];
  let total = 0;
  let filterError: string | null = null;
  const [keys, listed, selectedKeyName] = await Promise.all([
    caller.listAiApiKeys({ repoId }),
    caller
      .listSystemEvents({ ...systemEventQueryOf(repoId, filters), skip: (page - 1) * pageSize, take: pageSize })
      .catch((error: unknown) => {
        if (isBadRequest(error)) {
          filterError = error.message;
          return null;
        }
        throw error;
      }),
    filters.key ? lastKnownName(caller, repoId, filters.key) : undefined,
  ]);
  if (listed) ({ events, total } = listed);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  // A page past the end (an old link, a hand-edited URL) shows the last page instead of an empty one.
  if (page > pages) redirect(`${path}${auditQueryString(filters, pages > 1 ? { page: pages } : {})}`);

  const keyChoices = new Map(keys.apiKeys.map((k) => [k.id, k.name]));
  if (filters.key && !keyChoices.has(filters.key) && selectedKeyName)
    keyChoices.set(filters.key, `${selectedKeyName} (deleted)`);
  const personChoices = new Map([[actor.userId, `${actor.name} (you)`]]);
  for (const e of events) {
    const { name } = keyOf(parseChange(e.jsonData));
    if (!keyChoices.has(e.contextId)) keyChoices.set(e.contextId, name ? `${name} (deleted)` : e.contextId);
    if (e.userId && !personChoices.has(e.userId)) personChoices.set(e.userId, e.userName ?? e.userEmail ?? e.userId);
  }
  const filtered = hasFilters(filters);
  const pageHref = (n: number) => `${path}${auditQueryString(filters, n > 1 ? { page: n } : {})}`;

  return (
    <>
      <RepoHeader repo={found.repo} workspace={found.workspace} current="audit" />
      <p className="muted">
        Every change to this repository&apos;s keys: who made it, when (UTC, to the second), what it was before and
        after, and whether it came from the web app, the REST API or a typed call.
      </p>
      <AuditFilterForm
        action={path}
        filters={asked}
        rangeProblem={rangeInOrder ? null : "From must be before To. The time range is not applied."}
        keys={choices(keyChoices, filters.key)}
        people={choices(personChoices, filters.person)}
      />
      {filterError ? (
        <p role="alert" className="notice notice-warning">
          These filters cannot be applied: {filterError}
        </p>
      ) : null}
      <section className="card" aria-labelledby="events-heading">
        <div className="card-header">
          <h2 id="events-heading" className="h3">
            {total >= maxSystemEventTotal ? `${maxSystemEventTotal.toLocaleString("en")}+` : total} event
            {total === 1 ? "" : "s"}
            {filtered ? " matching the filters" : ""}
          </h2>
          {total > 0 ? (
            <div className="button-row button-row-tight">
              <a className="button button-small" href={`${path}/export${auditQueryString(filters, { format: "csv" })}`}>
                Export CSV
              </a>
              <a
                className="button button-small"
                href={`${path}/export${auditQueryString(filters, { format: "json" })}`}
              >
                Export JSON
              </a>
            </div>
          ) : null}
        </div>
        {events.length === 0 ? (
          <EmptyState title={filtered ? "No events match these filters" : "No changes yet"}>
            <p>
              {filtered
                ? "Widen the time range or clear a filter."
                : "Creating, renaming or deleting a key records an event here."}
            </p>
          </EmptyState>
        ) : (
          <AuditTable events={events} filterHref={(only) => `${path}${auditQueryString({ ...filters, ...only })}`} />
        )}
        {pages > 1 ? (
          <nav className="pager" aria-label="Audit trail pages">
            {page > 1 ? (
              <Link href={pageHref(page - 1)} className="button button-small" rel="prev">
                Newer
              </Link>
            ) : (
              <span />
            )}
            <span className="muted">
              Page {page} of {pages}
            </span>
            {page < pages ? (
              <Link href={pageHref(page + 1)} className="button button-small" rel="next">
                Older
              </Link>
            ) : (
              <span />
            )}
          </nav>
        ) : null}
      </section>
    </>
  );
}
