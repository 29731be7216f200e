// A single tRPC call is answered by http/trpc-single-call.ts, through the REST paths' procedure invoker, not by
// tRPC's resolveResponse. Its answers must be tRPC's: each call below goes to a server that answers only
// through that handler (599 when it declines) and, as the reference, to the real endpoint as a batch of one,
// which tRPC's own code answers. Status, the headers tRPC sets and the body must be the same.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Context, createCaller, typedCallContext } from "../src";
import { actorFromAuthorization } from "../src/http/authenticate";
import { readJsonBodyText } from "../src/http/request-body";
import { createSingleCallHandler } from "../src/http/trpc-single-call";
import { api, createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";

let h: Harness;
let ws: WorkspaceFixture;
let keyId: string;
let singleCallServer: Server;
let singleCallUrl: string;

beforeAll(async () => {
  h = await startHarness();
  ws = await createWorkspaceFixture(h.services);
  keyId = (
    await createCaller(typedCallContext(h.services, ws.MEMBER.actor)).createAiApiKey({
      repoId: ws.repo.id,
      name: "single",
      aiType: "OPENAI",
    })
  ).id;
  const singleCall = createSingleCallHandler();
  singleCallServer = createServer(async (req, res) => {
    const createContext = async (): Promise<Context> => {
      const bearer = await actorFromAuthorization(h.services, req.headers.authorization, "127.0.0.1");
      return bearer
        ? { services: h.services, ...bearer, channel: "typed", requestId: "single-call-test" }
        : {
            services: h.services,
            actor: null,
            credential: { kind: "none" },
            channel: "web",
            requestId: "single-call-test",
          };
    };
    const name = (req.url ?? "").slice("/api/trpc/".length).split("?")[0]!;
    // The endpoint reads every body by one rule first (trpc-endpoint.test.ts checks it); these bodies pass it.
    const body = req.method === "GET" ? undefined : await readJsonBodyText(req);
    if (!(await singleCall(req, res, name, body, { createContext, onError: () => {} }))) {
      res.writeHead(599).end();
    }
  });
  await new Promise<void>((listening) => singleCallServer.listen(0, "127.0.0.1", listening));
  singleCallUrl = `http://127.0.0.1:${(singleCallServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((closed) => singleCallServer.close(closed));
  await h.close();
});

interface Call {
  method: "GET" | "POST";
  procedure: string;
  token?: string;
  /** A query's input (in `?input=`), or a mutation's body. */
  input?: unknown;
  rawBody?: string;
}

async function single(base: string, call: Call) {
  const query = call.method === "GET" && call.input !== undefined ? `?input=${enc(call.input)}` : "";
  return api(base, call.method, `/api/trpc/${call.procedure}${query}`, {
    token: call.token,
    ...(call.method === "POST"
      ? { rawBody: call.rawBody ?? JSON.stringify(call.input), headers: { "content-type": "application/json" } }
      : {}),
  });
}

/** tRPC's own answer: the same call as a batch of one, which only resolveResponse answers. */
async function reference(call: Call) {
  const batchInput = call.input === undefined ? {} : { 0: call.input };
  const query = call.method === "GET" ? `&input=${enc(batchInput)}` : "";
  // A body that is not JSON is refused before batching matters: the same text gets the same parser's message.
  const rawBody = call.rawBody ?? JSON.stringify(batchInput);
  const res = await api(h.baseUrl, call.method, `/api/trpc/${call.procedure}?batch=1${query}`, {
    token: call.token,
    ...(call.method === "POST" ? { rawBody, headers: { "content-type": "application/json" } } : {}),
  });
  return { status: res.status, json: res.json?.[0], headers: res.headers };
}

const enc = (value: unknown) => encodeURIComponent(JSON.stringify(value));

/** What the single-call answer must share with tRPC's; a version the rename answers is per call. */
function comparable(res: { status: number; json: unknown; headers: Headers }) {
  return {
    status: res.status,
    contentType: res.headers.get("content-type"),
    vary: res.headers.get("vary"),
    retryAfter: res.headers.get("retry-after"),
    json: res.json,
  };
}

describe("a single tRPC call answers exactly as tRPC does", () => {
  const cases: [string, () => Call][] = [
    ["a query without input", () => ({ method: "GET", procedure: "listWorkspaces", token: ws.VIEWER.token })],
    [
      "a query whose answer is JSON the database built",
      () => ({ method: "GET", procedure: "listAiApiKeys", token: ws.VIEWER.token, input: { repoId: ws.repo.id } }),
    ],
    [
      "a mutation that changes nothing (the key's current name)",
      () => ({
        method: "POST",
        procedure: "updateAiApiKey",
        token: ws.MEMBER.token,
        input: { repoId: ws.repo.id, apikeyId: keyId, name: "single" },
      }),
    ],
    ["no credentials (401)", () => ({ method: "GET", procedure: "listWorkspaces" })],
    [
      "a VIEWER renaming (403)",
      () => ({
        method: "POST",
        procedure: "updateAiApiKey",
        token: ws.VIEWER.token,
        input: { repoId: ws.repo.id, apikeyId: keyId, name: "nope" },
      }),
    ],
    [
      "an unknown key (404)",
      () => ({
        method: "POST",
        procedure: "updateAiApiKey",
        token: ws.MEMBER.token,
        input: { repoId: ws.repo.id, apikeyId: "k".repeat(25), name: "nope" },
      }),
    ],
    [
      "input zod refuses (400)",
      () => ({
        method: "POST",
        procedure: "updateAiApiKey",
        token: ws.MEMBER.token,
        input: { repoId: ws.repo.id, apikeyId: keyId, name: "" },
      }),
    ],
    [
      "a stale expectedVersion (412)",
      () => ({
        method: "POST",
        procedure: "updateAiApiKey",
        token: ws.MEMBER.token,
        input: { repoId: ws.repo.id, apikeyId: keyId, name: "other", expectedVersion: "999999" },
      }),
    ],
    [
      "a body that is not JSON",
      () => ({ method: "POST", procedure: "updateAiApiKey", token: ws.MEMBER.token, rawBody: "{not json" }),
    ],
    ["an empty body", () => ({ method: "POST", procedure: "updateAiApiKey", token: ws.MEMBER.token, rawBody: "" })],
    [
      "a query without its required input (400)",
      () => ({ method: "GET", procedure: "listAiApiKeys", token: ws.VIEWER.token }),
    ],
  ];

  it.each(cases)("%s", async (_name, make) => {
    const call = make();
    const expected = comparable(await reference(call));
    const answered = await single(singleCallUrl, call);
    expect(answered.status, "the single-call handler declined the call").not.toBe(599);
    expect(comparable(answered)).toEqual(expected);
    expect(comparable(await single(h.baseUrl, call))).toEqual(expected);
  });

  it("renames as tRPC does, and the rename is made once per call", async () => {
    const rename = (name: string): Call => ({
      method: "POST",
      procedure: "updateAiApiKey",
      token: ws.MEMBER.token,
      input: { repoId: ws.repo.id, apikeyId: keyId, name },
    });
    const expected = comparable(await reference(rename("renamed by tRPC")));
    expect(comparable(await single(singleCallUrl, rename("renamed here")))).toEqual(expected);
    const { apiKeys } = await createCaller(typedCallContext(h.services, ws.VIEWER.actor)).listAiApiKeys({
      repoId: ws.repo.id,
    });
    expect(apiKeys.find((key) => key.id === keyId)?.name).toBe("renamed here");
  });

  it("leaves batches, other methods and other content types to tRPC", async () => {
    const decline = (path: string, init: RequestInit) =>
      fetch(`${singleCallUrl}${path}`, init).then((res) => res.status);
    const headers = { authorization: `Bearer ${ws.MEMBER.token}`, "content-type": "application/json" };
    expect(await decline("/api/trpc/listWorkspaces?batch=1", { headers })).toBe(599);
    expect(await decline("/api/trpc/listWorkspaces", { method: "POST", headers, body: "{}" })).toBe(599);
    expect(await decline("/api/trpc/updateAiApiKey", { headers })).toBe(599);
    expect(await decline("/api/trpc/noSuchProcedure", { headers })).toBe(599);
    // No body, so the one body rule has nothing to refuse; tRPC's path answers the content type.
    expect(
      await decline("/api/trpc/updateAiApiKey", {
        method: "POST",
        headers: { ...headers, "content-type": "application/jsonfoo" },
      }),
    ).toBe(599);
  });
});
