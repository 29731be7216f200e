import type { ListSystemEventsInput } from "../routers/system-event/list.schema";
import { maxSystemEventTotal, systemEventContexts, systemEventNames } from "../schemas/system-event";
import { compactJsonArraySql } from "../serialization/compact-json-sql";
import { personalEventKinds, type SystemEventKind, workspaceEventKinds } from "./system-event-kinds";

/** Who asks: the partitions of the audit trail they may see are their workspaces and their own personal events. */
export interface SystemEventScope {
  callerId: string;
  workspaceIds: readonly string[];
}

export interface SqlStatement {
  text: string;
  values: unknown[];
}

const nameOf = <T extends readonly string[]>(names: T, value: string | number | undefined) =>
  typeof value === "number" ? names[value] : value;

const quoted = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * One WHERE clause per (partition, kind) the query can match, with its parameters. Each is an equality on
 * every leading column of one index and ranges on (timestamp, id), so each branch is one ordered index range:
 *   no id filter → (workspaceId, context, event, via, timestamp, id); userId → (workspaceId, userId, …);
 *   repoId → (workspaceId, repoId, …); repoId + userId → (workspaceId, repoId, userId, …);
 *   contextId → (workspaceId, contextId, …); contextId + userId → (workspaceId, contextId, userId, …)
 *   (a contextId's events share one repoId, so repoId beside it is only checked row by row within them);
 *   personal events (workspaceId NULL, userId = caller) → (workspaceId, userId, …) with workspaceId IS NULL.
 * A workspaceId filter only narrows the partitions to the caller's own: another tenant's id leaves none.
 */
function branches(input: ListSystemEventsInput, scope: SystemEventScope) {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const common: string[] = [];
  const filter = (sql: (p: string) => string, value: unknown) => {
    if (value !== undefined) common.push(sql(param(value)));
  };
  filter((p) => `e."contextId" = ${p}`, input.contextId);
  filter((p) => `e."userId" = ${p}`, input.userId);
  filter((p) => `e."repoId" = ${p}`, input.repoId);
  filter((p) => `e.timestamp >= ${p}::timestamptz`, input.from_timestamp);
  filter((p) => `e.timestamp <= ${p}::timestamptz`, input.to_timestamp);
  let cursorCte: string | undefined;
  if (input.before_id !== undefined) {
    // The cursor must be an event the caller may see (in any of their partitions): another tenant's id places
    // nothing. Two scalar subqueries, so that the row comparison is a range bound of each branch's index scan.
    cursorCte = `cursor AS (SELECT c.timestamp, c.id FROM "SystemEvent" c WHERE c.id = ${param(input.before_id)}
      AND (c."workspaceId" = ANY(${param(scope.workspaceIds)}::text[])
        OR (c."workspaceId" IS NULL AND c."userId" = ${param(scope.callerId)})))`;
    common.push(`(e.timestamp, e.id) < ((SELECT timestamp FROM cursor), (SELECT id FROM cursor))`);
  }
  const context = nameOf(systemEventContexts, input.context);
  const event = nameOf(systemEventNames, input.event);
  const matching = (kinds: readonly SystemEventKind[]) =>
    kinds.filter(
      (k) =>
        (context === undefined || k.context === context) &&
        (event === undefined || k.event === event) &&
        (input.via === undefined || k.via === input.via),
    );
  const where: string[] = [];
  // The partition's parameter only once a kind matches: an unused parameter has no type PostgreSQL could infer.
  const add = (partition: () => string, kinds: readonly SystemEventKind[]) => {
    const matches = matching(kinds);
    const partitionSql = matches.length > 0 ? partition() : "";
    for (const k of matches)
      where.push(
        [
          partitionSql,
          `e.context = ${quoted(k.context)}`,
          `e.event = ${quoted(k.event)}`,
          `e.via = ${quoted(k.via)}`,
          ...common,
        ].join(" AND "),
      );
  };
  for (const workspaceId of scope.workspaceIds) {
    if (input.workspaceId === undefined || input.workspaceId === workspaceId)
      add(() => `e."workspaceId" = ${param(workspaceId)}`, workspaceEventKinds);
  }
  // Personal events name their owner as userId and no repository.
  const personal =
    input.workspaceId === undefined &&
    input.repoId === undefined &&
    (input.userId === undefined || input.userId === scope.callerId);
  if (personal) add(() => `e."workspaceId" IS NULL AND e."userId" = ${param(scope.callerId)}`, personalEventKinds);
  return { where, values, cursorCte, param };
}

/**
 * One event as the answer's JSON, byte for byte what JSON.stringify writes of `systemEventResponse`: the
 * stored head and tail (written with the event by the trigger system_event_answer, migration
 * 20261203170008_system_event_answer) around the person's name and email as they are now.
 */
const eventJson = `e."answerHead" || COALESCE(u.json, ',"userName":null,"userEmail":null') || e."answerTail"`;
const userJson = `',"userName":' || COALESCE(to_json(u.name)::text, 'null') || ',"userEmail":' || COALESCE(to_json(u.email)::text, 'null')`;

/**
 * A page of events, as the answer's JSON array text, and the number of matches, in one statement (one round
 * trip, one read slot): `{ total, returned, events }`.
 * The page: each branch reads at most skip + take rows of its own index range, and a Merge Append of the
 * ordered branches under one ORDER BY … LIMIT reads only what it returns (plus one row a branch), so the rows
 * read are bounded by skip + take and the number of branches, never by the events stored.
 * The count stops at `maxSystemEventTotal`: each branch stops there, and so does their Append, so it reads at
 * most that many rows (plus one a branch). Undefined when no partition can match (nothing to ask the database).
 */
export function systemEventListStatement(
  input: ListSystemEventsInput,
  scope: SystemEventScope,
): SqlStatement | undefined {
  const { where, values, cursorCte, param } = branches(input, scope);
  if (where.length === 0) return undefined;
  const depth = param(input.skip + input.take);
  const pageUnion = where
    .map(
      (w) =>
        `(SELECT e.timestamp, e.id FROM "SystemEvent" e WHERE ${w} ORDER BY e.timestamp DESC, e.id DESC LIMIT ${depth})`,
    )
    .join("\n      UNION ALL ");
  const cap = param(maxSystemEventTotal);
  const countUnion = where
    .map((w) => `(SELECT 1 FROM "SystemEvent" e WHERE ${w} LIMIT ${cap})`)
    .join("\n      UNION ALL ");
  const text = `WITH ${cursorCte ? `${cursorCte},\n` : ""}page AS (
      SELECT id FROM (${pageUnion}) b ORDER BY timestamp DESC, id DESC OFFSET ${param(input.skip)} LIMIT ${param(input.take)})
    SELECT (SELECT count(*)::int FROM (SELECT 1 FROM (${countUnion}) b LIMIT ${cap}) capped) AS total,
           (SELECT count(*)::int FROM page) AS returned,
           (SELECT ${compactJsonArraySql(eventJson, "e.timestamp DESC, e.id DESC")}
            FROM "SystemEvent" e
            -- = ANY and a LATERAL … LIMIT 1, not joins: a join's plan may hash a whole table to find a page's rows.
            LEFT JOIN LATERAL (SELECT ${userJson} AS json FROM "User" u WHERE u.id = e."userId" LIMIT 1) u ON true
            WHERE e.id = ANY(ARRAY(SELECT id FROM page))) AS events`;
  return { text, values };
}

/**
 * The answer's `total`: a page that is not full ends the matches, so its end is the count (which the count,
 * capped at `maxSystemEventTotal`, may fall short of); otherwise the capped count.
 */
export function systemEventTotal(input: ListSystemEventsInput, returned: number, countedTotal: number): number {
  return returned < input.take && (returned > 0 || input.skip === 0) ? input.skip + returned : countedTotal;
}
