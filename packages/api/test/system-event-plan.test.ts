// The audit-trail query reads rows in proportion to what it returns, for any caller and any filter: checked on
// the plan PostgreSQL actually ran (EXPLAIN ANALYZE of the handler's own statements), never by timing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SqlStatement, type SystemEventScope, systemEventListStatement } from "../src/audit/system-event-query";
import { listSystemEventsInput } from "../src/routers/system-event/list.schema";
import { maxSystemEventTotal } from "../src/schemas/system-event";
import { createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";

let h: Harness;
let ws: WorkspaceFixture;
let stranger: WorkspaceFixture;
const seeded = 30_000;

beforeAll(async () => {
  h = await startHarness();
  ws = await createWorkspaceFixture(h.services);
  stranger = await createWorkspaceFixture(h.services);
  // Many web-app renames by one member, 100 keys of one repository: a filter that matches none of them must
  // not read them.
  await h.services.db.sql.query(
    `INSERT INTO "SystemEvent" (timestamp, context, "contextId", event, "userId", "workspaceId", "repoId", via, "jsonData")
     SELECT now() - (($3::int - n) * interval '1 millisecond'), 'aillmapikey', 'key-' || (n % 100), 'updated', $1, $2, $4,
            'web', jsonb_build_object('via', 'web')
     FROM generate_series(1, $3::int) n`,
    [ws.MEMBER.actor.userId, ws.workspace.id, seeded, ws.repo.id],
  );
  await h.services.db.sql.query(`ANALYZE "SystemEvent"`);
}, 120_000);
afterAll(() => h.close());

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  Plans?: PlanNode[];
}

/** The table and index rows the statement's scans of tables and indexes produced or threw away, over the plan. */
function rowsRead(node: PlanNode): number {
  const scanned =
    node["Relation Name"] !== undefined || node["Index Name"] !== undefined
      ? (node["Actual Rows"] + (node["Rows Removed by Filter"] ?? 0) + (node["Rows Removed by Index Recheck"] ?? 0)) *
        node["Actual Loops"]
      : 0;
  return scanned + (node.Plans ?? []).reduce((sum, child) => sum + rowsRead(child), 0);
}

async function explain(statement: SqlStatement) {
  const [row] = await h.services.db.sql.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`,
    statement.values,
  );
  const plan = row?.["QUERY PLAN"][0]?.Plan;
  if (!plan) throw new Error("no plan");
  return plan;
}

const scopeOf = async (member: { actor: { userId: string } }): Promise<SystemEventScope> => ({
  callerId: member.actor.userId,
  workspaceIds: (
    await h.services.db.sql.query<{ workspaceId: string }>(
      `SELECT "workspaceId" FROM "WorkspaceMember" WHERE "userId" = $1`,
      [member.actor.userId],
    )
  ).map((m) => m.workspaceId),
});

// Rows a page may read: what it skips and returns, twice (the page's ids, then its rows), plus one a branch;
// the count: at most its cap, plus one a branch. Each branch is one UNION ALL arm in the page and in the count.
const branchesOf = (statement: SqlStatement) => (statement.text.split("UNION ALL").length + 1) / 2;
const listBound = (statement: SqlStatement, depth: number) =>
  2 * depth + branchesOf(statement) + 20 + maxSystemEventTotal + branchesOf(statement) + 20;

describe("the audit query's plan reads only what a page returns", () => {
  const cases: [string, () => WorkspaceFixture["OWNER"], Record<string, unknown>][] = [
    ["a stranger with no events here, no filter", () => stranger.VIEWER, {}],
    ["a stranger naming this workspace's key", () => stranger.VIEWER, { contextId: "key-7" }],
    ["a stranger naming this workspace's repository", () => stranger.VIEWER, { repoId: "placeholder" }],
    ["via a channel no event came through", () => ws.OWNER, { via: "typed" }],
    ["an event no key had", () => ws.OWNER, { event: "deleted" }],
    ["a context with few events", () => ws.OWNER, { context: "workspaceuser" }],
    ["a repository with a person who has no events in it", () => ws.OWNER, { repoId: "placeholder", userId: "viewer" }],
    ["a key with a person who has no events on it", () => ws.OWNER, { contextId: "key-7", userId: "viewer" }],
    ["a deep page of one channel", () => ws.OWNER, { via: "web", skip: 1000, take: 500 }],
    ["a deep page after a cursor", () => ws.OWNER, { skip: 1000, take: 500, before_id: "cursor" }],
    ["a time range that holds nothing", () => ws.OWNER, { to_timestamp: "2000-01-01T00:00:00Z" }],
  ];
  const inputOf = async (raw: Record<string, unknown>) => {
    const body = { ...raw };
    if (body.repoId === "placeholder") body.repoId = ws.repo.id;
    if (body.userId === "viewer") body.userId = ws.VIEWER.actor.userId;
    if (body.before_id === "cursor") {
      const [row] = await h.services.db.sql.query<{ id: string }>(
        `SELECT id::text FROM "SystemEvent" WHERE "workspaceId" = $1 ORDER BY id DESC OFFSET 5000 LIMIT 1`,
        [ws.workspace.id],
      );
      body.before_id = Number(row?.id);
    }
    return listSystemEventsInput.parse(body);
  };

  for (const [name, member, raw] of cases) {
    it(`page with its count: ${name}`, async () => {
      const input = await inputOf(raw);
      const scope = await scopeOf(member());
      const statement = systemEventListStatement(input, scope);
      if (!statement) throw new Error("expected a statement");
      expect(rowsRead(await explain(statement))).toBeLessThanOrEqual(listBound(statement, input.skip + input.take));
    });
  }

  it("another workspace's id leaves no partition, so nothing is asked", async () => {
    const input = listSystemEventsInput.parse({ workspaceId: ws.workspace.id });
    const scope = await scopeOf(stranger.VIEWER);
    expect(systemEventListStatement(input, scope)).toBeUndefined();
  });
});
