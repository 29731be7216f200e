// The audit-trail query under a hostile caller: bounded skip and count whatever the number of events, filters
// on real columns, and the same answers as before for everything else.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxSystemEventSkip, maxSystemEventTotal } from "../src";
import { api, createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";

let h: Harness;
let ws: WorkspaceFixture;
let outsider: WorkspaceFixture;
const seeded = maxSystemEventTotal + 50;

beforeAll(async () => {
  h = await startHarness();
  ws = await createWorkspaceFixture(h.services);
  outsider = await createWorkspaceFixture(h.services);
  // More events of one repository than a count reports, one second apart, newest last.
  await h.services.db.sql.query(
    `INSERT INTO "SystemEvent" (timestamp, context, "contextId", event, "userId", "workspaceId", "repoId", "jsonData")
     SELECT now() - (($3::int - n) * interval '1 second'), 'aillmapikey', 'seeded-' || n, 'updated', $1, $2, $4, '{}'::jsonb
     FROM generate_series(1, $3::int) n`,
    [ws.MEMBER.actor.userId, ws.workspace.id, seeded, ws.repo.id],
  );
});
afterAll(() => h.close());

const query = (token: string, body: unknown) => api(h.baseUrl, "POST", "/systemevent", { token, body });

describe("POST /systemevent bounds", () => {
  it(`counts matches up to ${maxSystemEventTotal}, and exactly when a page ends them`, async () => {
    const first = await query(ws.VIEWER.token, { repoId: ws.repo.id, take: 3 });
    expect(first.status).toBe(200);
    expect(first.json.total).toBe(maxSystemEventTotal);
    expect(first.json.events.map((e: { contextId: string }) => e.contextId)).toEqual([
      `seeded-${seeded}`,
      `seeded-${seeded - 1}`,
      `seeded-${seeded - 2}`,
    ]);
    const last = await query(ws.VIEWER.token, { repoId: ws.repo.id, skip: maxSystemEventSkip, take: 500 });
    expect(last.json.events).toHaveLength(seeded - maxSystemEventSkip);
    expect(last.json.total).toBe(seeded);
    expect(last.json.events.at(-1).contextId).toBe("seeded-1");
  });

  it(`refuses a skip past ${maxSystemEventSkip} with a message that says how to page further`, async () => {
    const res = await query(ws.VIEWER.token, { repoId: ws.repo.id, skip: maxSystemEventSkip + 1, take: 1 });
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(new RegExp(`skip must be at most ${maxSystemEventSkip}: .*before_id`));
  });

  it("pages on past the bound with to_timestamp", async () => {
    const deep = await query(ws.VIEWER.token, { repoId: ws.repo.id, skip: maxSystemEventSkip - 1, take: 1 });
    const oldestSeen = deep.json.events[0];
    const next = await query(ws.VIEWER.token, { repoId: ws.repo.id, to_timestamp: oldestSeen.timestamp, take: 2 });
    expect(next.json.events.map((e: { id: number }) => e.id)).toEqual([oldestSeen.id, oldestSeen.id - 1]);
  });

  it("refuses a time range given the wrong way round with a 400 that says so; an instant (from = to) is a range", async () => {
    const range = { from_timestamp: "2026-11-02T00:00:00Z", to_timestamp: "2026-11-01T00:00:00Z" };
    const inverted = await query(ws.VIEWER.token, { repoId: ws.repo.id, ...range });
    expect(inverted.status).toBe(400);
    expect(inverted.json.message).toMatch(/From must be before To: from_timestamp is later than to_timestamp/);
    // the same instant written in two offsets is in order
    const instant = { from_timestamp: "2026-11-01T01:00:00+01:00", to_timestamp: "2026-11-01T00:00:00Z" };
    expect((await query(ws.VIEWER.token, { repoId: ws.repo.id, ...instant })).status).toBe(200);
  });

  it("pages on past the bound with before_id, the last event seen, and ignores another tenant's event as a cursor", async () => {
    const deep = await query(ws.VIEWER.token, { repoId: ws.repo.id, skip: maxSystemEventSkip - 1, take: 2 });
    const [lastSeen, following] = deep.json.events;
    const next = await query(ws.VIEWER.token, { repoId: ws.repo.id, before_id: lastSeen.id, take: 1 });
    expect(next.json.events.map((e: { id: number }) => e.id)).toEqual([following.id]);
    const stranger = await createWorkspaceFixture(h.services);
    const theirs = await api(h.baseUrl, "POST", `/repo/${stranger.repo.id}/ai/apikey`, {
      token: stranger.MEMBER.token,
      body: { name: "theirs", aiType: "OTHER" },
    });
    const [foreign] = await h.services.db.sql.query<{ id: string }>(
      `SELECT id::text FROM "SystemEvent" WHERE "contextId" = $1`,
      [theirs.json.id],
    );
    const probed = await query(ws.VIEWER.token, { repoId: ws.repo.id, before_id: Number(foreign!.id), take: 1 });
    expect(probed.json).toMatchObject({ events: [], total: 0 });
  });

  it("filters by repository through its column, and shows a stranger nothing", async () => {
    const key = await api(h.baseUrl, "POST", `/repo/${ws.repo.id}/ai/apikey`, {
      token: ws.MEMBER.token,
      body: { name: "k", aiType: "OTHER" },
    });
    const [row] = await h.services.db.sql.query<{ repoId: string }>(
      `SELECT "repoId" FROM "SystemEvent" WHERE "contextId" = $1`,
      [key.json.id],
    );
    expect(row?.repoId).toBe(ws.repo.id);
    const stranger = await query(outsider.OWNER.token, { repoId: ws.repo.id });
    expect(stranger.json).toMatchObject({ events: [], total: 0 });
    const other = await query(outsider.OWNER.token, { repoId: outsider.repo.id });
    expect(other.json).toMatchObject({ events: [], total: 0 });
  });

  it("refuses NUL, control and invisible characters in contextId with a 400 (never a database error)", async () => {
    for (const hidden of ["\u0000", "\u0007", "\u200B", "\u200E", "\u202E", "\u2066", "\uFEFF", "\u061C", "\u00AD"]) {
      const res = await query(ws.VIEWER.token, { contextId: `key${hidden}id` });
      expect(res.status, JSON.stringify(hidden)).toBe(400);
      expect(res.json.message).toMatch(/contextId must be valid Unicode text without control characters/);
    }
    expect(h.logs.join("")).not.toMatch(/22021|request failed/);
  });

  it("answers each event byte for byte as JSON.stringify writes it, whatever its text holds, with the person's name as it is now", async () => {
    const contextId = 'odd "quote" \\ back\tslash \u0001 \u2028 Ünïcödé 😀 𝄞';
    const jsonData = { before: { name: 'a "b" \\ c\n' }, after: { name: "😀\u0007" }, nested: [1, null, true] };
    const inserted = await h.services.db.sql.query<{ id: string }>(
      `INSERT INTO "SystemEvent" (context, "contextId", event, "userId", "workspaceId", "repoId", "jsonData")
       VALUES ('aillmapikey', $1, 'updated', $2, $3, $4, $5::jsonb) RETURNING id::text`,
      [contextId, ws.OWNER.actor.userId, ws.workspace.id, ws.repo.id, JSON.stringify(jsonData)],
    );
    const id = Number(inserted[0]!.id);
    // What the answer must hold, from the stored columns: only the timestamp's text is the database's.
    const expected = async (userName: string) => {
      const [row] = await h.services.db.sql.query<{ timestamp: string; jsonData: string }>(
        `SELECT to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS timestamp,
                "jsonData"::text AS "jsonData" FROM "SystemEvent" WHERE id = $1`,
        [id],
      );
      return JSON.stringify({
        id,
        timestamp: row!.timestamp,
        contextId,
        context: "aillmapikey",
        event: "updated",
        userId: ws.OWNER.actor.userId,
        userName,
        userEmail: ws.OWNER.actor.email,
        workspaceId: ws.workspace.id,
        jsonData: row!.jsonData,
      });
    };
    const eventText = async () => {
      const res = await query(ws.VIEWER.token, { repoId: ws.repo.id, take: 1 });
      expect(res.text).toBe(JSON.stringify(JSON.parse(res.text)));
      expect(res.json.events[0].id).toBe(id);
      return JSON.stringify(res.json.events[0]);
    };
    expect(await eventText()).toBe(await expected(ws.OWNER.actor.name));
    expect(JSON.parse(JSON.parse(await eventText()).jsonData)).toEqual(jsonData);

    // The name is read when listed; an event's stored text follows an operator's UPDATE of the event.
    await h.services.db.sql.query(`UPDATE "User" SET name = $2 WHERE id = $1`, [ws.OWNER.actor.userId, 'Renamed "x"']);
    await h.services.db.sql.query(`UPDATE "SystemEvent" SET "jsonData" = '{"after": 1}' WHERE id = $1`, [id]);
    expect(await eventText()).toBe(await expected('Renamed "x"'));
    expect(JSON.parse(await eventText()).jsonData).toBe('{"after": 1}');
    await h.services.db.sql.query(`UPDATE "User" SET name = $2 WHERE id = $1`, [
      ws.OWNER.actor.userId,
      ws.OWNER.actor.name,
    ]);
  });
});
