// The floor of an audit page (`npm run bench:audit-events`, its `floor` figures): what POST /systemevent asks,
// authorize (the app's token cache), the caller's workspaces, and the app's own page-and-count statement with
// its stored JSON, written through untouched. Nothing else: no router, no validation library, no request log,
// no rate limit, and not the app's read guard (its statement timeout and pool share, a transaction around the
// statement), so the gap between the two lines is what those cost.
import type { IncomingMessage, ServerResponse } from "node:http";
import { systemEventListStatement, systemEventTotal } from "@repokeys/api";
import { fail, query, send, userOf } from "../floor-kit";

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
}

export async function auditFloor(req: IncomingMessage, res: ServerResponse) {
  const userId = await userOf(req);
  if (!userId) return fail(res, 401, "Unauthorized");
  // The bench sends only valid bodies: the defaults, not a validation.
  const input = { skip: 0, take: 50, ...(await bodyOf(req)) } as Parameters<typeof systemEventListStatement>[0];
  const memberships = await query<{ workspaceId: string }>(
    `SELECT "workspaceId" FROM "WorkspaceMember" WHERE "userId" = $1`,
    [userId],
  );
  const statement = systemEventListStatement(input, {
    callerId: userId,
    workspaceIds: memberships.map((m) => m.workspaceId),
  });
  const [row] = statement
    ? await query<{ total: number; returned: number; events: string }>(statement.text, statement.values)
    : [];
  const total = systemEventTotal(input, row?.returned ?? 0, row?.total ?? 0);
  send(res, 200, `{"events":${row?.events ?? "[]"},"total":${total},"skip":${input.skip},"take":${input.take}}`);
}
