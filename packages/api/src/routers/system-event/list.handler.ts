import { type SystemEventScope, systemEventListStatement, systemEventTotal } from "../../audit/system-event-query";
import type { AuthedContext } from "../../context";
import type { SystemEventDto } from "../../schemas/system-event";
import { parsedOnce, withPrebuiltJson } from "../../serialization/prebuilt-json";
import type { ListSystemEventsInput } from "./list.schema";

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
  const statement = systemEventListStatement(input, scope);
  // Through `reads`: under the read statement timeout, within the pool share; the page and the count together.
  const [row] = statement
    ? await reads.query<{ total: number; returned: number; events: string }>(statement.text, statement.values)
    : [];
  const { returned = 0, events = "[]" } = row ?? {};
  const total = systemEventTotal(input, returned, row?.total ?? 0);
  // The answer's JSON as the database built it: no parse, validation or serialization of up to 500 events.
  const parsedEvents = parsedOnce<SystemEventDto[]>(events);
  return withPrebuiltJson(
    {
      get events() {
        return parsedEvents();
      },
      total,
      skip: input.skip,
      take: input.take,
    },
    `{"events":${events},"total":${total},"skip":${input.skip},"take":${input.take}}`,
  );
}
