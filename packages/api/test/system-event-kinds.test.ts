// The audit listing reads one index range per kind of event that audit/system-event-kinds.ts lists, so an event
// of a kind missing there is written but never shown. Every change a person can make, through every channel,
// must write only listed kinds (operator events of no workspace and no person, which only the admin command
// line lists, aside).
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Context, createCaller, typedCallContext } from "../src";
import { setMember } from "../src/admin/operator-actions";
import { personalEventKinds, workspaceEventKinds } from "../src/audit/system-event-kinds";
import { createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";

let h: Harness;
let ws: WorkspaceFixture;

beforeAll(async () => {
  h = await startHarness();
  ws = await createWorkspaceFixture(h.services);
});
afterAll(() => h?.close());

/** Each channel's context for a person: the web app's session, a REST token, an in-process typed call. */
const channels = (member: WorkspaceFixture["MEMBER"]): Context[] => {
  const typed = typedCallContext(h.services, member.actor);
  return [
    { ...typed, channel: "web", credential: { kind: "session" } },
    { ...typed, channel: "rest", credential: { kind: "session" } },
    typed,
  ];
};

it("every event a change writes is of a kind the listing reads", async () => {
  for (const context of channels(ws.OWNER)) {
    const caller = createCaller(context);
    const { id } = await caller.createAiApiKey({ repoId: ws.repo.id, name: `by ${context.channel}`, aiType: "OTHER" });
    await caller.updateAiApiKey({ repoId: ws.repo.id, apikeyId: id, name: `renamed by ${context.channel}` });
    const rotated = await caller.rotateAiApiKey({ repoId: ws.repo.id, apikeyId: id, graceSeconds: 0 });
    await caller.deleteAiApiKey({ repoId: ws.repo.id, apikeyId: rotated.id });
    const token = await caller.createApiToken({ name: `by ${context.channel}` });
    await caller.revokeApiToken({ id: token.apiToken.id });
  }
  await setMember(h.services, { workspaceId: ws.workspace.id, email: ws.VIEWER.actor.email, role: "MEMBER" });

  const written = await h.services.db.sql.query<{ context: string; event: string; via: string; scope: string }>(
    `SELECT DISTINCT context, event, via,
            CASE WHEN "workspaceId" IS NOT NULL THEN 'workspace' WHEN "userId" IS NOT NULL THEN 'personal' ELSE 'operator' END AS scope
     FROM "SystemEvent"`,
  );
  const listed = (kinds: readonly { context: string; event: string; via: string }[]) =>
    new Set(kinds.map((k) => `${k.context}/${k.event}/${k.via}`));
  const workspaceKinds = listed(workspaceEventKinds);
  const personalKinds = listed(personalEventKinds);
  const unlisted = written.filter(({ context, event, via, scope }) => {
    const kind = `${context}/${event}/${via}`;
    return scope === "workspace" ? !workspaceKinds.has(kind) : scope === "personal" ? !personalKinds.has(kind) : false;
  });
  expect(unlisted).toEqual([]);
  // The run wrote key events through all three channels, token events and a membership change.
  expect(new Set(written.map((w) => w.via))).toEqual(new Set(["web", "rest", "typed", "operator"]));
  expect(written.filter((w) => w.scope === "personal").length).toBeGreaterThanOrEqual(6);
});
