import type { AuthedContext } from "../../context";
import { systemEventContexts, systemEventNames } from "../../schemas/system-event";
import type { ListSystemEventsInput } from "./list.schema";

const nameOf = <T extends readonly string[]>(names: T, value: string | number | undefined) =>
  typeof value === "number" ? names[value] : value;

/** Events of the workspaces the caller belongs to, newest first, with the filters Flashback's query offers. */
export async function listSystemEventsHandler({ ctx, input }: { ctx: AuthedContext; input: ListSystemEventsInput }) {
  const params: unknown[] = [ctx.actor.userId];
  const where = [`e."workspaceId" IN (SELECT "workspaceId" FROM "WorkspaceMember" WHERE "userId" = $1)`];
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
  filter((p) => `e."jsonData"->>'repoId' = ${p}`, input.repoId);
  filter((p) => `e."jsonData"->>'via' = ${p}`, input.via);
  filter((p) => `e.timestamp >= ${p}::timestamptz`, input.from_timestamp);
  filter((p) => `e.timestamp <= ${p}::timestamptz`, input.to_timestamp);
  const whereSql = where.join(" AND ");

  const [rows, [count]] = await Promise.all([
    ctx.services.db.sql.query<{
      id: string;
      timestamp: Date;
      contextId: string;
      context: string;
      event: string;
      userId: string | null;
      userName: string | null;
      userEmail: string | null;
      workspaceId: string;
      jsonData: unknown;
    }>(
      `SELECT e.id::text, e.timestamp, e."contextId", e.context, e.event, e."userId", u.name AS "userName",
              u.email AS "userEmail", e."workspaceId", e."jsonData"
       FROM "SystemEvent" e LEFT JOIN "User" u ON u.id = e."userId"
       WHERE ${whereSql}
       ORDER BY e.timestamp DESC, e.id DESC
       OFFSET $${params.length + 1} LIMIT $${params.length + 2}`,
      [...params, input.skip, input.take],
    ),
    ctx.services.db.sql.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM "SystemEvent" e WHERE ${whereSql}`,
      params,
    ),
  ]);
  return {
    events: rows.map((e) => ({
      ...e,
      id: Number(e.id),
      timestamp: new Date(e.timestamp).toISOString(),
      // Flashback sends jsonData as a JSON string
      jsonData: e.jsonData === null ? null : JSON.stringify(e.jsonData),
    })),
    total: count?.total ?? 0,
    skip: input.skip,
    take: input.take,
  };
}
