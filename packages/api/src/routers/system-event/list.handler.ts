import type { AuthedContext } from "../../context";
import { maxSystemEventTotal, systemEventContexts, systemEventNames } from "../../schemas/system-event";
import type { ListSystemEventsInput } from "./list.schema";

const nameOf = <T extends readonly string[]>(names: T, value: string | number | undefined) =>
  typeof value === "number" ? names[value] : value;

interface EventRow extends Record<string, unknown> {
  id: string;
  timestamp: string;
  contextId: string;
  context: string;
  event: string;
  userId: string | null;
  userName: string | null;
  userEmail: string | null;
  workspaceId: string | null;
  jsonData: unknown;
}

/**
 * Events the caller may see, newest first, with the filters Flashback's query offers: those of the workspaces
 * they belong to, and their own personal ones (their API tokens). Every filter is a column with an index in
 * this order, so a page reads only its rows; `skip` and the count are bounded (schemas/system-event.ts).
 */
export async function listSystemEventsHandler({ ctx, input }: { ctx: AuthedContext; input: ListSystemEventsInput }) {
  const params: unknown[] = [ctx.actor.userId];
  const visible = (
    e: string,
  ) => `(${e}."workspaceId" IN (SELECT "workspaceId" FROM "WorkspaceMember" WHERE "userId" = $1)
      OR (${e}."workspaceId" IS NULL AND ${e}."userId" = $1))`;
  const where = [visible("e")];
  const filter = (sql: (param: string) => string, value: unknown) => {
    if (value === undefined) return;
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  filter((p) => `e."contextId" = ${p}`, input.contextId);
  filter((p) => `e.context = ${p}`, nameOf(systemEventContexts, input.context));
  filter((p) => `e.event = ${p}`, nameOf(systemEventNames, input.event));
  filter((p) => `e."userId" = ${p}`, input.userId);
  filter((p) => `e."workspaceId" = ${p}`, input.workspaceId);
  filter((p) => `e."repoId" = ${p}`, input.repoId);
  filter((p) => `e."jsonData"->>'via' = ${p}`, input.via);
  filter((p) => `e.timestamp >= ${p}::timestamptz`, input.from_timestamp);
  filter((p) => `e.timestamp <= ${p}::timestamptz`, input.to_timestamp);
  // The cursor must be an event the caller may see: another tenant's id places nothing.
  filter(
    (p) =>
      `(e.timestamp, e.id) < (SELECT c.timestamp, c.id FROM "SystemEvent" c WHERE c.id = ${p} AND ${visible("c")})`,
    input.before_id,
  );
  const whereSql = where.join(" AND ");
  const { sql } = ctx.services.db;

  // The page's ids first (from the index alone, skipped rows included), then its rows and their users' names.
  const rows = await sql.query<EventRow>(
    `WITH page AS (
       SELECT e.id FROM "SystemEvent" e
       WHERE ${whereSql}
       ORDER BY e.timestamp DESC, e.id DESC
       OFFSET $${params.length + 1} LIMIT $${params.length + 2})
     SELECT e.id::text AS id,
            -- Microseconds, as stored: a timestamp passed back as to_timestamp must match its own event exactly.
            to_char(e.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS timestamp, e."contextId",
            e.context, e.event, e."userId", u.name AS "userName", u.email AS "userEmail", e."workspaceId", e."jsonData"
     FROM page JOIN "SystemEvent" e ON e.id = page.id LEFT JOIN "User" u ON u.id = e."userId"
     ORDER BY e.timestamp DESC, e.id DESC`,
    [...params, input.skip, input.take],
  );
  // A page that is not full ends the matches: its end is the count, with no second query.
  const total =
    rows.length < input.take && (rows.length > 0 || input.skip === 0)
      ? input.skip + rows.length
      : await countUpTo(ctx, whereSql, params);
  return {
    events: rows.map((e) => ({
      ...e,
      id: Number(e.id),
      // Flashback sends jsonData as a JSON string
      jsonData: e.jsonData === null ? null : JSON.stringify(e.jsonData),
    })),
    total,
    skip: input.skip,
    take: input.take,
  };
}

/** Counts the matches, stopping at `maxSystemEventTotal`: an exact count of millions of events is not worth its cost. */
async function countUpTo(ctx: AuthedContext, whereSql: string, params: unknown[]): Promise<number> {
  const [row] = await ctx.services.db.sql.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM (SELECT 1 FROM "SystemEvent" e WHERE ${whereSql} LIMIT $${params.length + 1}) capped`,
    [...params, maxSystemEventTotal],
  );
  return row?.total ?? 0;
}
