import {
  type SystemEventScope,
  systemEventCountStatement,
  systemEventPageStatement,
} from "../../audit/system-event-query";
import type { AuthedContext } from "../../context";
import type { ListSystemEventsInput } from "./list.schema";

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
 * they belong to, and their own personal ones (their API tokens). The visible events are read partition by
 * partition, each an ordered index range bounded by skip + take (audit/system-event-query.ts says which index
 * serves which filter), so one call costs the same for a caller with no events, or one naming another
 * tenant's ids, as for the owner of millions; `skip` and the count are bounded (schemas/system-event.ts).
 */
export async function listSystemEventsHandler({ ctx, input }: { ctx: AuthedContext; input: ListSystemEventsInput }) {
  const { sql, reads } = ctx.services.db;
  const memberships = await sql.query<{ workspaceId: string }>(
    `SELECT "workspaceId" FROM "WorkspaceMember" WHERE "userId" = $1`,
    [ctx.actor.userId],
  );
  const scope: SystemEventScope = { callerId: ctx.actor.userId, workspaceIds: memberships.map((m) => m.workspaceId) };
  const page = systemEventPageStatement(input, scope);
  // The page and the count through `reads`: under the read statement timeout, within the pool share.
  const rows = page ? await reads.query<EventRow>(page.text, page.values) : [];
  // A page that is not full ends the matches: its end is the count, with no second query.
  const count = systemEventCountStatement(input, scope);
  const total =
    rows.length < input.take && (rows.length > 0 || input.skip === 0)
      ? input.skip + rows.length
      : count
        ? ((await reads.query<{ total: number }>(count.text, count.values))[0]?.total ?? 0)
        : 0;
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
