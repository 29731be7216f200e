// The tRPC endpoint as a hostile caller sees it: one request cannot carry more than a bounded number of calls,
// every call counts against the caller's rate limit, and every API answer says `no-store` and `nosniff`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller, maxTrpcBatchSize, type RateLimitSettings, typedCallContext } from "../src";
import { api, createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";

const off: RateLimitSettings = { restPerMinute: 0, signInPerAccount: 0, signInPerAddress: 0 };

/** A GET batch of `n` calls of one query, each with `input`. */
function batchPath(procedure: string, n: number, input: unknown = {}) {
  const inputs = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, input]));
  return `/api/trpc/${Array(n).fill(procedure).join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify(inputs))}`;
}

describe("batches", () => {
  let h: Harness;
  let ws: WorkspaceFixture;
  beforeAll(async () => {
    h = await startHarness();
    ws = await createWorkspaceFixture(h.services);
  });
  afterAll(() => h.close());

  it(`answers a batch of up to ${maxTrpcBatchSize} calls, and refuses a larger one with 400 before running any`, async () => {
    const full = await api(h.baseUrl, "GET", batchPath("listWorkspaces", maxTrpcBatchSize), { token: ws.VIEWER.token });
    expect(full.status).toBe(200);
    expect(full.json).toHaveLength(maxTrpcBatchSize);

    const input = { take: 1, skip: 5_000, repoId: ws.repo.id };
    for (const n of [maxTrpcBatchSize + 1, 100]) {
      const res = await api(h.baseUrl, "GET", batchPath("listSystemEvents", n, input), { token: ws.VIEWER.token });
      expect(res.status).toBe(400);
      expect(res.json.error.message).toBe(
        `A request may batch at most ${maxTrpcBatchSize} calls. Send them in several requests.`,
      );
    }
    // A POST batch of mutations is bounded the same way, and nothing of it runs.
    const calls = maxTrpcBatchSize + 1;
    const names = Array(calls).fill("createAiApiKey").join(",");
    const body = Object.fromEntries(
      Array.from({ length: calls }, (_, i) => [i, { repoId: ws.repo.id, name: `batched ${i}`, aiType: "OTHER" }]),
    );
    const posted = await api(h.baseUrl, "POST", `/api/trpc/${names}?batch=1`, { token: ws.MEMBER.token, body });
    expect(posted.status).toBe(400);
    expect(await h.services.db.prisma.repoAiApiKey.count({ where: { repoId: ws.repo.id } })).toBe(0);
  });
});

describe("rate limit per call", () => {
  let h: Harness;
  let ws: WorkspaceFixture;
  beforeAll(async () => {
    h = await startHarness({ rateLimits: { ...off, restPerMinute: 4 } });
    ws = await createWorkspaceFixture(h.services);
  });
  afterAll(() => h.close());

  it("counts each call of a batch, so a batch cannot carry more calls than the token's budget", async () => {
    const res = await api(h.baseUrl, "GET", batchPath("listWorkspaces", 6), { token: ws.MEMBER.token });
    const codes = (res.json as { result?: unknown; error?: { data: { code: string } } }[]).map((call) =>
      call.error ? call.error.data.code : "OK",
    );
    expect(codes).toEqual(["OK", "OK", "OK", "OK", "TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"]);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // The same budget on REST: spent by the batch.
    expect((await api(h.baseUrl, "GET", `/repo/${ws.repo.id}/ai/apikey`, { token: ws.MEMBER.token })).status).toBe(429);
    // Another token has its own.
    expect((await api(h.baseUrl, "GET", `/repo/${ws.repo.id}/ai/apikey`, { token: ws.VIEWER.token })).status).toBe(200);
  });

  it("counts a web session's calls per user; in-process calls by the operator are not limited", async () => {
    const session = createCaller({
      services: h.services,
      actor: ws.OWNER.actor,
      credential: { kind: "session" },
      channel: "web",
      requestId: "test",
    });
    for (let i = 0; i < 4; i++) await session.listWorkspaces();
    await expect(session.listWorkspaces()).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    const operator = createCaller(typedCallContext(h.services, ws.OWNER.actor));
    for (let i = 0; i < 6; i++) await operator.listWorkspaces();
  });
});

describe("response headers", () => {
  let h: Harness;
  let ws: WorkspaceFixture;
  beforeAll(async () => {
    h = await startHarness();
    ws = await createWorkspaceFixture(h.services);
  });
  afterAll(() => h.close());

  it("every API answer carries Cache-Control: no-store and X-Content-Type-Options: nosniff", async () => {
    const token = ws.MEMBER.token;
    const keys = `/repo/${ws.repo.id}/ai/apikey`;
    const answers = {
      "REST list": await api(h.baseUrl, "GET", keys, { token }),
      "REST create (holds the secret)": await api(h.baseUrl, "POST", keys, {
        token,
        body: { name: "cached?", aiType: "OTHER" },
      }),
      "REST 400": await api(h.baseUrl, "POST", keys, { token, body: { name: "" } }),
      "REST 401": await api(h.baseUrl, "GET", keys),
      "REST 404": await api(h.baseUrl, "GET", "/repo/x/nothing/here", { token }),
      "REST 405": await api(h.baseUrl, "PATCH", keys, { token }),
      "system events": await api(h.baseUrl, "POST", "/systemevent", { token, body: {} }),
      "tRPC query": await api(h.baseUrl, "GET", "/api/trpc/listWorkspaces", { token }),
      "tRPC create (holds the secret)": await api(h.baseUrl, "POST", "/api/trpc/createAiApiKey", {
        token,
        body: { repoId: ws.repo.id, name: "typed", aiType: "OTHER" },
      }),
      "tRPC batch": await api(h.baseUrl, "GET", batchPath("listWorkspaces", 2), { token }),
      "tRPC error": await api(h.baseUrl, "GET", "/api/trpc/listWorkspaces"),
      "tRPC unknown procedure": await api(h.baseUrl, "GET", "/api/trpc/nope", { token }),
    };
    for (const [what, res] of Object.entries(answers)) {
      expect(res.headers.get("cache-control"), what).toBe("no-store");
      expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
    }
    expect(answers["REST create (holds the secret)"].json.secret).toMatch(/\S/);
    expect(answers["tRPC create (holds the secret)"].json.result.data.secret).toMatch(/\S/);

    // The OpenAPI document is public and the same for everyone: cacheable, but never sniffed.
    const openapi = await api(h.baseUrl, "GET", "/openapi.json");
    expect(openapi.headers.get("cache-control")).toBe("public, max-age=300");
    expect(openapi.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("request bodies: one rule for REST, tRPC single calls and tRPC batches", () => {
  let h: Harness;
  let ws: WorkspaceFixture;
  let keyId: string;
  beforeAll(async () => {
    h = await startHarness();
    ws = await createWorkspaceFixture(h.services);
    keyId = (
      await createCaller(typedCallContext(h.services, ws.MEMBER.actor)).createAiApiKey({
        repoId: ws.repo.id,
        name: "kept",
        aiType: "OTHER",
      })
    ).id;
  });
  afterAll(() => h.close());

  /** The same rename sent three ways, its new name given as raw bytes, with `contentType`: status and message of each. */
  async function renameEveryWay(contentType: string, name: Buffer) {
    const withName = (before: string, after: string) => Buffer.concat([Buffer.from(before), name, Buffer.from(after)]);
    const call = withName(`{"repoId":"${ws.repo.id}","apikeyId":"${keyId}","name":"`, '"}');
    const send = (method: string, path: string, rawBody: Buffer) =>
      api(h.baseUrl, method, path, { token: ws.MEMBER.token, rawBody, headers: { "content-type": contentType } });
    const rest = await send("PUT", `/repo/${ws.repo.id}/ai/apikey/${keyId}`, withName('{"name":"', '"}'));
    const single = await send("POST", "/api/trpc/updateAiApiKey", call);
    const batch = await send(
      "POST",
      "/api/trpc/updateAiApiKey?batch=1",
      Buffer.concat([Buffer.from('{"0":'), call, Buffer.from("}")]),
    );
    const { apiKeys } = await createCaller(typedCallContext(h.services, ws.VIEWER.actor)).listAiApiKeys({
      repoId: ws.repo.id,
    });
    return {
      rest: [rest.status, rest.json?.message],
      single: [single.status, single.json?.error?.message],
      batch: [batch.status, [batch.json].flat()[0]?.error?.message],
      nameAfter: apiKeys.find((key) => key.id === keyId)?.name,
    };
  }

  it("refuses a body whose content type is not JSON with 415, whichever way it comes", async () => {
    const refused = [
      415,
      "The request body must be JSON, sent with Content-Type: application/json (got application/jsonfoo).",
    ];
    expect(await renameEveryWay("application/jsonfoo", Buffer.from("renamed"))).toEqual({
      rest: refused,
      single: refused,
      batch: refused,
      nameAfter: "kept",
    });
  });

  it("refuses a body that is not valid UTF-8 with 400, never storing U+FFFD in its place", async () => {
    const refused = [400, "Could not read the request body: it is not valid UTF-8."];
    for (const bad of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80]]) {
      expect(await renameEveryWay("application/json", Buffer.from([0x61, ...bad, 0x62]))).toEqual({
        rest: refused,
        single: refused,
        batch: refused,
        nameAfter: "kept",
      });
    }
  });

  it("takes application/json in any case and with parameters, whichever way it comes", async () => {
    const answer = await renameEveryWay("Application/JSON; charset=utf-8", Buffer.from("renamed"));
    expect([answer.rest[0], answer.single[0], answer.batch[0], answer.nameAfter]).toEqual([200, 200, 200, "renamed"]);
  });
});
