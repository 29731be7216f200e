import type { SystemEventDto } from "@repokeys/api";
import { stringify } from "csv-stringify/sync";
import { channelLabels, keyOf, parseChange } from "@/components/audit/audit-change";
import { auditFiltersFrom, systemEventQueryOf } from "@/server/audit-filters";
import { webCaller } from "@/server/caller";
import { currentActor } from "@/server/session";
import { repoOf } from "@/server/workspaces";

/** An export holds at most this many events (the newest), in pages of the API's largest `take`. */
const maxExportEvents = 10_000;
const apiPage = 500;

/** A spreadsheet runs a cell that starts like a formula; names are typed by people, so such cells are quoted. */
const inert = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

function csvOf(events: SystemEventDto[]): string {
  const rows = events.map((e) => {
    const change = parseChange(e.jsonData);
    const key = keyOf(change);
    return [
      e.timestamp,
      e.event,
      e.contextId,
      key.name ?? "",
      key.key ?? "",
      e.userName ?? "",
      e.userEmail ?? "",
      change.via ? (channelLabels[change.via] ?? change.via) : "",
      JSON.stringify(change.before ?? null),
      JSON.stringify(change.after ?? null),
    ].map(inert);
  });
  const header = [
    "time_utc",
    "event",
    "key_id",
    "key_name",
    "public_key",
    "who",
    "email",
    "channel",
    "before",
    "after",
  ];
  return stringify([header, ...rows]);
}

/**
 * The audit trail's filtered events as CSV or JSON (`?format=`), through the same procedure and filters as the
 * page, newest first, bounded by `maxExportEvents`.
 */
export async function GET(request: Request, { params }: { params: Promise<{ repoId: string }> }) {
  const { repoId } = await params;
  const actor = await currentActor();
  if (!actor) return Response.json({ message: "Sign in first." }, { status: 401 });
  if (!(await repoOf(actor, repoId))) return Response.json({ message: "No such repository." }, { status: 404 });
  const url = new URL(request.url);
  const format = url.searchParams.get("format") === "json" ? "json" : "csv";
  const query = systemEventQueryOf(repoId, auditFiltersFrom(Object.fromEntries(url.searchParams)));
  const caller = webCaller(actor);

  const events: SystemEventDto[] = [];
  let truncated = false;
  try {
    // Keyset paging (before_id): every page costs the same, however deep; one event more than the bound tells
    // whether the export is cut off.
    for (;;) {
      const page = await caller.listSystemEvents({ ...query, before_id: events.at(-1)?.id, take: apiPage });
      events.push(...page.events);
      if (events.length > maxExportEvents) {
        truncated = true;
        break;
      }
      if (page.events.length < apiPage) break;
    }
  } catch (error) {
    if (error instanceof Error && (error as { code?: unknown }).code === "BAD_REQUEST")
      return Response.json({ message: error.message }, { status: 400 });
    throw error;
  }
  const exported = events.slice(0, maxExportEvents);
  const name = `audit-${repoId}-${new Date().toISOString().slice(0, 19).replaceAll(":", "")}Z.${format}`;
  const headers = {
    "content-disposition": `attachment; filename="${name}"`,
    "cache-control": "no-store",
    // Tells a reader of a cut-off export that it is one.
    "x-exported-events": String(exported.length),
    "x-truncated": String(truncated),
  };
  if (format === "json")
    return Response.json(
      {
        exported: exported.length,
        truncated,
        events: exported.map((e) => ({ ...e, jsonData: parseChange(e.jsonData) })),
      },
      { headers },
    );
  return new Response(csvOf(exported), { headers: { ...headers, "content-type": "text/csv; charset=utf-8" } });
}
