// PUT /repo/{repoId}/ai/apikey/{apikeyId} with If-Match: the rename applies only to the key as
// the caller last saw it (its `version` from the list); a stale one gets 412 with the key's current name, so
// two people renaming from stale screens do not silently overwrite each other. Without the header the answer
// is Flashback's exactly. Every REST request goes through Prism, so the answers are checked against the
// published OpenAPI document too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createWorkspaceFixture, type Harness, type WorkspaceFixture } from "../src/testing";
import { startCheckedHarness } from "./support/checked-harness";

let h: Harness;
let ws: WorkspaceFixture;
let base: string;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ h, base, close } = await startCheckedHarness());
  ws = await createWorkspaceFixture(h.services);
});
afterAll(() => close?.());

const keysPath = () => `/repo/${ws.repo.id}/ai/apikey`;

async function createKey(name: string) {
  const res = await api(base, "POST", keysPath(), { token: ws.MEMBER.token, body: { name, aiType: "OPENAI" } });
  expect(res.status).toBe(201);
  return res.json.id as string;
}

async function listed(id: string) {
  const res = await api(base, "GET", keysPath(), { token: ws.VIEWER.token });
  expect(res.status).toBe(200);
  return (res.json.apiKeys as { id: string; name: string; version: string }[]).find((k) => k.id === id)!;
}

const rename = (id: string, name: string, headers: Record<string, string> = {}, token = ws.MEMBER.token) =>
  api(base, "PUT", `${keysPath()}/${id}`, { token, body: { name }, headers });

async function updatedEvents(id: string) {
  return h.services.db.prisma.systemEvent.count({ where: { contextId: id, event: "updated" } });
}

describe("conditional rename", () => {
  it("renames when If-Match names the key's current version, and answers with its new version", async () => {
    const id = await createKey("first");
    const before = await listed(id);
    expect(before.version).toMatch(/^\d+$/);
    const res = await rename(id, "second", { "if-match": `"${before.version}"` });
    expect(res.status).toBe(200);
    const after = await listed(id);
    expect(after.name).toBe("second");
    expect(after.version).not.toBe(before.version);
    expect(res.headers.get("etag")).toBe(`"${after.version}"`);
    expect(res.json).toEqual({ success: true, message: "AI API key updated successfully", version: after.version });
  });

  it("refuses a stale version with 412, the current name and version, and changes nothing", async () => {
    const id = await createKey("shared");
    const stale = await listed(id);
    expect((await rename(id, "theirs", { "if-match": `"${stale.version}"` })).status).toBe(200);
    const now = await listed(id);
    const events = await updatedEvents(id);

    const res = await rename(id, "mine", { "if-match": `"${stale.version}"` });
    expect(res.status).toBe(412);
    expect(res.json).toMatchObject({
      success: false,
      code: "PRECONDITION_FAILED",
      current: { name: "theirs", version: now.version },
    });
    expect(res.json.message).toContain("“theirs”");
    expect(res.headers.get("etag")).toBe(`"${now.version}"`);
    expect(await listed(id)).toEqual(now);
    expect(await updatedEvents(id)).toBe(events);
  });

  it("lets exactly one of two renames from the same copy through", async () => {
    const id = await createKey("raced");
    const copy = await listed(id);
    const answers = await Promise.all(
      ["left", "right"].map((name) => rename(id, name, { "if-match": `"${copy.version}"` })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
    const winner = answers.find((a) => a.status === 200)!;
    const loser = answers.find((a) => a.status === 412)!;
    expect(loser.json.current.version).toBe(winner.json.version);
    expect(await updatedEvents(id)).toBe(1);
  });

  it("takes a list of tags and *, and never a weak or malformed tag", async () => {
    const id = await createKey("tags");
    const { version } = await listed(id);
    expect((await rename(id, "listed", { "if-match": `"1", "${version}"` })).status).toBe(200);
    expect((await rename(id, "any", { "if-match": "*" })).status).toBe(200);
    const current = await listed(id);
    expect((await rename(id, "weak", { "if-match": `W/"${current.version}"` })).status).toBe(412);
    expect((await rename(id, "bare", { "if-match": current.version })).status).toBe(412);
    expect((await listed(id)).name).toBe("any");
  });

  it("checks authorization and existence first: 403 and 404, never 412", async () => {
    const id = await createKey("guarded");
    expect((await rename(id, "viewer", { "if-match": '"1"' }, ws.VIEWER.token)).status).toBe(403);
    expect((await rename("00000000-0000-0000-0000-000000000000", "ghost", { "if-match": '"1"' })).status).toBe(404);
  });

  it("without If-Match answers exactly as Flashback does", async () => {
    const id = await createKey("plain");
    const res = await rename(id, "plain renamed");
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"success":true,"message":"AI API key updated successfully"}');
    expect(res.headers.get("etag")).toBeNull();
  });

  it("over tRPC, expectedVersion does the same", async () => {
    const id = await createKey("typed");
    const { version } = await listed(id);
    const call = (name: string) =>
      api(h.baseUrl, "POST", "/api/trpc/updateAiApiKey", {
        token: ws.MEMBER.token,
        body: { repoId: ws.repo.id, apikeyId: id, name, expectedVersion: version },
      });
    const ok = await call("typed once");
    expect(ok.status).toBe(200);
    expect(ok.json.result.data.version).toBe((await listed(id)).version);
    const stale = await call("typed twice");
    expect(stale.status).toBe(412);
    expect(stale.json.error.data.code).toBe("PRECONDITION_FAILED");
    expect(stale.json.error.message).toContain("“typed once”");
    const malformed = await api(h.baseUrl, "POST", "/api/trpc/updateAiApiKey", {
      token: ws.MEMBER.token,
      body: { repoId: ws.repo.id, apikeyId: id, name: "typed thrice", expectedVersion: "latest" },
    });
    expect(malformed.status).toBe(400);
    expect((await listed(id)).name).toBe("typed once");
  });
});
