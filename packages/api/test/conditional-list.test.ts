// GET /repo/{repoId}/ai/apikey with ETag and If-None-Match: 304 while the list is unchanged, a new tag after
// every kind of change, never a 304 for a caller who may not read the list. Every request goes through Prism,
// so the 304 and the headers are checked against the published OpenAPI document too.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRepo } from "../src/admin/operator-actions";
import {
  api,
  createGatewayToken,
  createWorkspaceFixture,
  type Harness,
  startHarness,
  type WorkspaceFixture,
} from "../src/testing";
import { type OpenApiProxy, startOpenApiProxy } from "./support/openapi-proxy";

let h: Harness;
let ws: WorkspaceFixture;
let outsider: WorkspaceFixture;
let proxy: OpenApiProxy;
let base: string;

beforeAll(async () => {
  h = await startHarness();
  proxy = await startOpenApiProxy(h.baseUrl);
  base = proxy.url;
  ws = await createWorkspaceFixture(h.services);
  outsider = await createWorkspaceFixture(h.services);
});
afterAll(async () => {
  await proxy?.close();
  await h?.close();
});

const keysPath = (repoId = ws.repo.id) => `/repo/${repoId}/ai/apikey`;

const list = (token = ws.MEMBER.token, ifNoneMatch?: string, repoId = ws.repo.id, query = "") =>
  api(base, "GET", `${keysPath(repoId)}${query}`, {
    token,
    headers: ifNoneMatch ? { "if-none-match": ifNoneMatch } : {},
  });

async function currentTag(token = ws.MEMBER.token) {
  const res = await list(token);
  expect(res.status).toBe(200);
  const etag = res.headers.get("etag");
  expect(etag).toMatch(/^"[^"]+"$/);
  return { etag: etag!, body: res.text };
}

async function createKey(name: string) {
  const res = await api(base, "POST", keysPath(), { token: ws.MEMBER.token, body: { name, aiType: "OPENAI" } });
  expect(res.status).toBe(201);
  return res.json as { id: string; key: string; secret: string };
}

/** The list's tag before and after `change`: the old tag gets 200 with the new list, the new one 304. */
async function expectNewTagAfter(change: () => Promise<unknown>) {
  const before = await currentTag();
  expect((await list(ws.MEMBER.token, before.etag)).status).toBe(304);
  await change();
  const stale = await list(ws.MEMBER.token, before.etag);
  expect(stale.status).toBe(200);
  expect(stale.headers.get("etag")).not.toBe(before.etag);
  expect(stale.text).not.toBe(before.body);
  const after = await currentTag();
  expect(after.etag).toBe(stale.headers.get("etag"));
  expect(after.body).toBe(stale.text);
  expect((await list(ws.MEMBER.token, after.etag)).status).toBe(304);
  return stale.json.apiKeys as { id: string; name: string; expiresAt: string | null; lastUsedAt: string | null }[];
}

describe("conditional GET /repo/{repoId}/ai/apikey", () => {
  it("answers 200 with an ETag, then 304 with no body and the same ETag while nothing changes", async () => {
    await createKey("first");
    const { etag } = await currentTag();
    expect((await currentTag()).etag).toBe(etag);
    const res = await list(ws.MEMBER.token, etag);
    expect(res.status).toBe(304);
    expect(res.text).toBe("");
    expect(res.headers.get("content-length") ?? "0").toBe("0");
    expect(res.headers.get("etag")).toBe(etag);
    expect(res.headers.get("cache-control")).toBe("no-store");
    // A list of tags, weak forms and `*` match too (RFC 9110 weak comparison); an unknown tag does not.
    expect((await list(ws.MEMBER.token, `"nope", W/${etag}`)).status).toBe(304);
    expect((await list(ws.MEMBER.token, "*")).status).toBe(304);
    expect((await list(ws.MEMBER.token, '"nope"')).status).toBe(200);
  });

  it("changes the ETag after a create, a rename, a rotation and a delete", async () => {
    const created = await createKey("to change");
    let keys = await expectNewTagAfter(() => createKey("another"));
    expect(keys.map((k) => k.name)).toContain("another");

    keys = await expectNewTagAfter(async () => {
      const res = await api(base, "PUT", `${keysPath()}/${created.id}`, {
        token: ws.MEMBER.token,
        body: { name: "renamed" },
      });
      expect(res.status).toBe(200);
    });
    expect(keys.find((k) => k.id === created.id)!.name).toBe("renamed");

    keys = await expectNewTagAfter(async () => {
      const res = await api(base, "POST", `${keysPath()}/${created.id}/rotate`, {
        token: ws.MEMBER.token,
        body: { graceSeconds: 3600 },
      });
      expect(res.status).toBe(201);
    });
    expect(keys.find((k) => k.id === created.id)!.expiresAt).not.toBeNull();

    keys = await expectNewTagAfter(async () => {
      const res = await api(base, "DELETE", `${keysPath()}/${created.id}`, { token: ws.MEMBER.token });
      expect(res.status).toBe(200);
    });
    expect(keys.map((k) => k.id)).not.toContain(created.id);
  });

  it("changes the ETag when a key's first use is recorded (the list shows lastUsedAt)", async () => {
    const created = await createKey("used by a gateway");
    const gateway = await createGatewayToken(h.services, { name: "etag gateway" });
    const keys = await expectNewTagAfter(async () => {
      const res = await api(base, "POST", "/ai/apikey/verify", {
        token: gateway,
        body: { key: created.key, secret: created.secret },
      });
      expect(res.json.valid).toBe(true);
      // The stamp is written off the request path.
      for (let i = 0; i < 100; i++) {
        const key = await h.services.db.prisma.repoAiApiKey.findUniqueOrThrow({ where: { id: created.id } });
        if (key.lastUsedAt) return;
        await sleep(20);
      }
      throw new Error("lastUsedAt was never stamped");
    });
    expect(keys.find((k) => k.id === created.id)!.lastUsedAt).not.toBeNull();
  });

  it("reveals nothing of other workspaces: their creates and verifications move neither a key's version nor the list's tag", async () => {
    const watched = await createKey("watched");
    const versionOf = async (id: string) =>
      ((await list()).json.apiKeys as { id: string; version: string }[]).find((k) => k.id === id)!.version;
    expect(await versionOf(watched.id)).toBe("1");
    const { etag } = await currentTag();
    const page = await list(ws.MEMBER.token, undefined, ws.repo.id, "?limit=2");
    const pageTag = page.headers.get("etag")!;

    // Another workspace creates 5 keys and verifies 3 of them, until their use is stamped.
    const gateway = await createGatewayToken(h.services, { name: "other workspace's gateway" });
    const theirs = [];
    for (let i = 0; i < 5; i++) {
      const res = await api(base, "POST", keysPath(outsider.repo.id), {
        token: outsider.MEMBER.token,
        body: { name: `theirs ${i}`, aiType: "OTHER" },
      });
      expect(res.status).toBe(201);
      theirs.push(res.json as { id: string; key: string; secret: string });
    }
    for (const key of theirs.slice(0, 3)) {
      const res = await api(base, "POST", "/ai/apikey/verify", {
        token: gateway,
        body: { key: key.key, secret: key.secret },
      });
      expect(res.json.valid).toBe(true);
    }
    await expect
      .poll(async () => {
        const [row] = await h.services.db.sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "RepoAiApiKey" WHERE "repoId" = $1 AND "lastUsedAt" IS NOT NULL`,
          [outsider.repo.id],
        );
        return row!.n;
      })
      .toBe(3);

    expect((await list(ws.MEMBER.token, etag)).status).toBe(304);
    expect((await list(ws.MEMBER.token, pageTag, ws.repo.id, "?limit=2")).status).toBe(304);
    expect(await versionOf(watched.id)).toBe("1");
    // The key's own changes count one each, whatever happened elsewhere meanwhile.
    const renamed = await api(base, "PUT", `${keysPath()}/${watched.id}`, {
      token: ws.MEMBER.token,
      body: { name: "watched, renamed" },
      headers: { "if-match": '"1"' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.headers.get("etag")).toBe('"2"');
    // Its own use is stamped (the list shows it, so the list's tag moves) but is no change of the key.
    const used = await api(base, "POST", "/ai/apikey/verify", {
      token: gateway,
      body: { key: watched.key, secret: watched.secret },
    });
    expect(used.json.valid).toBe(true);
    await expect
      .poll(
        async () =>
          ((await list()).json.apiKeys as { id: string; lastUsedAt: string | null }[]).find((k) => k.id === watched.id)!
            .lastUsedAt,
      )
      .not.toBeNull();
    expect(await versionOf(watched.id)).toBe("2");
  });

  it("keeps the ETag when a change fails or changes nothing", async () => {
    const created = await createKey("unchanged");
    const { etag } = await currentTag();
    const viewerWrite = await api(base, "PUT", `${keysPath()}/${created.id}`, {
      token: ws.VIEWER.token,
      body: { name: "viewer rename" },
    });
    expect(viewerWrite.status).toBe(403);
    const sameName = await api(base, "PUT", `${keysPath()}/${created.id}`, {
      token: ws.MEMBER.token,
      body: { name: "unchanged" },
    });
    expect(sameName.status).toBe(200);
    expect((await list(ws.MEMBER.token, etag)).status).toBe(304);
  });

  it("gives every role that may read the same list and the same tag, so a tag never stands for a list another caller cannot see", async () => {
    const tags = await Promise.all(
      (["OWNER", "ADMIN", "MEMBER", "VIEWER"] as const).map((r) => currentTag(ws[r].token)),
    );
    for (const t of tags) expect(t).toEqual(tags[0]);
    expect((await list(ws.VIEWER.token, tags[0]!.etag)).status).toBe(304);
  });

  it("never answers 304 to a caller without access: 403 whatever tag they send", async () => {
    const { etag } = await currentTag();
    for (const tag of [etag, "*"]) {
      const res = await list(outsider.MEMBER.token, tag);
      expect(res.status).toBe(403);
      expect(res.json).toMatchObject({ success: false, code: "FORBIDDEN" });
      expect(res.headers.get("etag")).toBeNull();
    }
    const unauthenticated = await list("rkt_not_a_token", etag);
    expect(unauthenticated.status).toBe(401);
  });

  it("does not take another repository's tag at the same version for its own", async () => {
    const other = await createRepo(h.services, { workspaceId: ws.workspace.id, name: `etag-other-${process.pid}` });
    const fresh = await currentTag();
    const res = await list(ws.MEMBER.token, fresh.etag, other.id);
    expect(res.status).toBe(200);
    expect(res.json.apiKeys).toEqual([]);
    expect(res.headers.get("etag")).not.toBe(fresh.etag);
  });
});
