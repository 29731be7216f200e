// One file past 300 lines on purpose: its generators (bodies, headers, ids) serve every endpoint below.
// Random and hostile requests at every REST endpoint and at the tRPC endpoint (single calls and batches): bodies (prototype-pollution keys, deep nesting, sizes
// around the limit, invalid UTF-8, wrong types), headers (content types, credentials) and path ids (unicode,
// malformed percent-encoding, very long). Whatever comes in: never a 5xx, always a JSON error a person can
// read, no internals in it, nothing stored from a refused request, and Object.prototype untouched.
import { request } from "node:http";
import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { maxRestBodyBytes } from "../src";
import { createGatewayToken } from "../src/admin/gateway-tokens";
import { procedureCatalog } from "../src/http/procedure-catalog";
import { createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";
import { leakedInternals } from "./support/leaks";

/** Per endpoint; with the fixed cases, the file stays well under a minute on PGlite. */
const numRuns = Number(process.env.HOSTILE_INPUT_RUNS ?? 300);

let h: Harness;
let ws: WorkspaceFixture;
let outsider: WorkspaceFixture;
let liveKeys: string[];
let deletedKey: string;
let gatewayToken: string;

beforeAll(async () => {
  h = await startHarness();
  ws = await createWorkspaceFixture(h.services);
  outsider = await createWorkspaceFixture(h.services);
  const create = async (fixture: WorkspaceFixture, name: string) => {
    const { createCaller, typedCallContext } = await import("../src");
    return (
      await createCaller(typedCallContext(h.services, fixture.MEMBER.actor)).createAiApiKey({
        repoId: fixture.repo.id,
        name,
        aiType: "OTHER",
      })
    ).id;
  };
  liveKeys = [await create(ws, "live-1"), await create(ws, "live-2"), await create(outsider, "foreign")];
  deletedKey = await create(ws, "deleted");
  await h.services.db.sql.query(`UPDATE "RepoAiApiKey" SET "deletedAt" = now() WHERE id = $1`, [deletedKey]);
  gatewayToken = await createGatewayToken(h.services, { name: "hostile" });
});
afterAll(() => h?.close());

interface RawResponse {
  status: number;
  contentType: string | undefined;
  text: string;
}

/** node:http rather than fetch: it sends exactly these bytes and headers (fetch would fix some up). */
function send(method: string, path: string, headers: Record<string, string>, body: Buffer | undefined) {
  const { hostname, port } = new URL(h.baseUrl);
  return new Promise<RawResponse>((resolve, reject) => {
    // A body always goes with its length: node:http would otherwise send a GET's body unframed.
    const framed = body ? { "content-length": String(body.length), ...headers } : headers;
    const req = request({ hostname, port, method, path, headers: framed }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode!,
          contentType: res.headers["content-type"],
          text: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Everything a request could have changed: the keys (names, deletion) and the audit trail. */
async function storedState() {
  const [row] = await h.services.db.sql.query<{ keys: string; events: string }>(
    `SELECT (SELECT coalesce(string_agg(id || ':' || name || ':' || coalesce("deletedAt"::text, '-'), ',' ORDER BY id), '')
             FROM "RepoAiApiKey") AS keys,
            (SELECT count(*)::text || ':' || coalesce(max(id)::text, '-') FROM "SystemEvent") AS events`,
  );
  return row;
}

async function expectSafeAnswer(method: string, path: string, headers: Record<string, string>, body?: Buffer) {
  const before = await storedState();
  const res = await send(method, path, headers, body);
  const context = `${method} ${path.slice(0, 200)} ${JSON.stringify(headers).slice(0, 300)} -> ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, context).toBeLessThan(500);
  expect(res.contentType, context).toMatch(/^application\/json/);
  const json = JSON.parse(res.text);
  expect(leakedInternals(res.text), context).toEqual([]);
  if (res.status >= 400) {
    expect(json, context).toMatchObject({ success: false, message: expect.stringMatching(/\S/) });
    expect(await storedState(), `a refused request changed stored data: ${context}`).toEqual(before);
  }
  expect(Object.keys(Object.prototype), "Object.prototype was polluted").toEqual([]);
  expect(({} as Record<string, unknown>).polluted, "Object.prototype was polluted").toBeUndefined();
  return res;
}

// ---- what we throw ----

/** Path segments: real ids (ours, another workspace's, deleted), unicode, broken percent-encoding, long runs. */
const segment = (known: string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known) },
    fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }).map(encodeURIComponent),
    fc
      .uint8Array({ minLength: 1, maxLength: 12 })
      .map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("")),
    fc.constantFrom(
      "%",
      "%Z",
      "%ZZ",
      "%C0%AF",
      "%FF%FE",
      "%00",
      "%2F",
      "%2e%2e",
      "..",
      "-",
      "__proto__",
      "constructor",
    ),
    fc.integer({ min: 100, max: 4_000 }).map((n) => "k".repeat(n)),
  );

const pollutionKeys = ["__proto__", "constructor", "prototype", "polluted"];
const fieldNames = [
  "name",
  "aiType",
  "key",
  "secret",
  "id",
  "repoId",
  "apikeyId",
  "skip",
  "take",
  "contextId",
  "context",
  "graceSeconds",
  "expiresAt",
];

/** A JSON object written as text, so that keys like `__proto__` are real keys on the wire. */
const objectText = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...pollutionKeys, ...fieldNames), fc.string({ maxLength: 12 })),
      fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.constant({ polluted: "yes", __proto__: { polluted: "yes" } }),
        fc.constantFrom("OPENAI", "ANTHROPIC", "x", " ", "\u202e", "\u0000", "\ud800"),
        fc.string({ unit: "grapheme", maxLength: 120 }),
      ),
    ),
    { maxLength: 6 },
  )
  .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`);

const deep = (n: number, open: string, close: string, leaf = "1") => open.repeat(n) + leaf + close.repeat(n);

const bodies = fc.oneof(
  { weight: 4, arbitrary: objectText.map((text) => Buffer.from(text)) },
  fc
    .record({ name: fc.string({ unit: "grapheme", maxLength: 110 }), aiType: fc.constantFrom("OPENAI", "AWS", "NOPE") })
    .map((o) => Buffer.from(JSON.stringify(o))),
  fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? "null")),
  fc.integer({ min: 1, max: 9_000 }).map((n) => Buffer.from(deep(n, "[", "]", ""))),
  fc.integer({ min: 1, max: 3_000 }).map((n) => Buffer.from(`{"name":${deep(n, '{"a":', "}")}}`)),
  fc
    .integer({ min: maxRestBodyBytes - 64, max: maxRestBodyBytes + 64 })
    .map((n) => Buffer.from(`{"name":"${"x".repeat(n - 11)}"}`)),
  fc.integer({ min: maxRestBodyBytes + 1, max: 4 * maxRestBodyBytes }).map((n) => Buffer.alloc(n, "[")),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  // Invalid UTF-8 inside otherwise well-formed JSON: lone continuation bytes, overlong forms, bytes never valid.
  fc
    .constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80])
    .map((bad) => Buffer.concat([Buffer.from('{"name":"a'), Buffer.from(bad), Buffer.from('"}')])),
  fc.constant(undefined),
);

const tokenHeader = () =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(`Bearer ${ws.MEMBER.token}`) },
    fc.constant(`Bearer ${ws.VIEWER.token}`),
    { weight: 2, arbitrary: fc.constant(`Bearer ${gatewayToken}`) },
    fc.constant(`bearer    ${ws.OWNER.token}`),
    fc.string({ maxLength: 60 }).map((s) => `Bearer ${s}`),
    fc.string({ maxLength: 60 }),
    fc.constantFrom("Basic dXNlcjpwYXNz", "Bearer", "Bearer rkt_", "Bearer rkt_' OR 1=1 --", "Bearer rkg_", "Token x"),
  );

const contentTypes = fc.oneof(
  { weight: 5, arbitrary: fc.constant("application/json") },
  fc.constantFrom(
    "application/json; charset=utf-8",
    "APPLICATION/JSON",
    "application/json; charset=latin1",
    "application/jsonx",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=----x",
    "",
  ),
  fc.string({ maxLength: 80 }),
);

/** Built inside each test: the tokens exist only once the fixture is. Headers as a client may send them: every value is printable (node:http refuses control characters). */
const headers = () =>
  fc
    .record({
      authorization: fc.option(tokenHeader(), { freq: 12 }),
      "content-type": fc.option(contentTypes, { freq: 8 }),
      "x-request-id": fc.option(fc.string({ maxLength: 100 })),
      "content-encoding": fc.option(fc.constantFrom("gzip", "br", "identity")),
      origin: fc.option(fc.constantFrom("https://evil.example", "null")),
      cookie: fc.option(fc.string({ maxLength: 60 })),
      accept: fc.option(fc.constantFrom("text/html", "*/*", "application/xml")),
    })
    .map(
      (record) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null)) as Record<string, string>,
    );

// ---- the endpoints ----

const endpoints = [
  { method: "POST", path: (repo: string) => `/repo/${repo}/ai/apikey` },
  { method: "GET", path: (repo: string) => `/repo/${repo}/ai/apikey` },
  { method: "PUT", path: (repo: string, key: string) => `/repo/${repo}/ai/apikey/${key}` },
  { method: "DELETE", path: (repo: string, key: string) => `/repo/${repo}/ai/apikey/${key}` },
  { method: "POST", path: () => "/systemevent" },
  { method: "POST", path: (repo: string, key: string) => `/repo/${repo}/ai/apikey/${key}/rotate` },
  { method: "POST", path: () => "/ai/apikey/verify" },
];

describe.each(endpoints)("$method $path", ({ method, path }) => {
  it("answers random requests safely", async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        segment([ws.repo.id, outsider.repo.id]),
        segment([...liveKeys, deletedKey]),
        headers(),
        bodies,
        async (repo, key, hdrs, body) => {
          const { status } = await expectSafeAnswer(method, path(repo, key), hdrs, body);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        },
      ),
      { numRuns, endOnFailure: true },
    );
    console.info(`${method} ${path(":repo", ":key")}: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  });

  it("answers the known hostile cases safely", async () => {
    const json = { "content-type": "application/json", authorization: `Bearer ${ws.MEMBER.token}` };
    const target = path(ws.repo.id, liveKeys[0]!);
    const cases: [Record<string, string>, Buffer | undefined][] = [
      [json, Buffer.from('{"__proto__":{"polluted":"yes"},"name":"proto"}')],
      [json, Buffer.from('{"constructor":{"prototype":{"polluted":"yes"}},"name":"ctor"}')],
      [json, Buffer.from(`{"name":${deep(5_000, "[", "]", "")}}`)],
      [json, Buffer.from(deep(8_000, "[", "]", ""))],
      [json, Buffer.from(`{"name":"${"y".repeat(maxRestBodyBytes)}"}`)],
      [json, Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
      [{ ...json, "content-type": "text/plain" }, Buffer.from('{"name":"plain"}')],
      [{ ...json, "content-length": String(10 * maxRestBodyBytes) }, Buffer.alloc(10 * maxRestBodyBytes, " ")],
      [{ authorization: json.authorization }, Buffer.from('{"name":"no type"}')],
      [{ "content-type": "application/json" }, Buffer.from('{"name":"anonymous"}')],
    ];
    for (const [hdrs, body] of cases) await expectSafeAnswer(method, target, hdrs, body);
  });
});

// ---- the tRPC endpoint: single calls and batches, as the web app and typed clients send them ----

const procedureNames = procedureCatalog().map(({ name }) => name);
const mutationNames = new Set(
  procedureCatalog()
    .filter(({ type }) => type === "mutation")
    .map(({ name }) => name),
);
const isMutation = (name: string) => mutationNames.has(name);
/** Real names (most of the time), unknown ones, and the path tricks a batch URL allows. */
const procedureName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...procedureNames) },
  fc.constantFrom("nope", "__proto__", "constructor", "", "listWorkspaces/../x", "%00"),
);

/** One request: a call or a batch of 1–14 (past the batch limit too), GET for queries and POST for mutations. */
const trpcRequest = fc
  .record({
    names: fc.array(procedureName, { minLength: 1, maxLength: 14 }),
    batched: fc.boolean(),
    inputs: fc.array(objectText, { minLength: 14, maxLength: 14 }),
    post: fc.boolean(),
  })
  .map(({ names, batched, inputs, post }) => {
    const calls = batched ? names : names.slice(0, 1);
    const method = calls.some(isMutation) || post ? "POST" : "GET";
    const input = batched ? `{${calls.map((_, i) => `"${i}":${inputs[i]}`).join(",")}}` : inputs[0]!;
    const path = `/api/trpc/${calls.map(encodeURIComponent).join(",")}${batched ? "?batch=1" : ""}`;
    return method === "GET"
      ? { method, path: `${path}${batched ? "&" : "?"}input=${encodeURIComponent(input)}`, body: undefined }
      : { method, path, body: Buffer.from(input) };
  });

/** Like `expectSafeAnswer`, for tRPC's error shape (one error, or one per call of a batch). */
async function expectSafeTrpcAnswer(method: string, path: string, headers: Record<string, string>, body?: Buffer) {
  const before = await storedState();
  const res = await send(method, path, headers, body);
  const context = `${method} ${path.slice(0, 300)} ${JSON.stringify(headers).slice(0, 300)} -> ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, context).toBeLessThan(500);
  expect(res.contentType, context).toMatch(/^application\/json/);
  expect(leakedInternals(res.text), context).toEqual([]);
  const answers = [JSON.parse(res.text)].flat() as { error?: { message: string; data: { httpStatus: number } } }[];
  for (const answer of answers) {
    if (!answer.error) continue;
    expect(answer.error.message, context).toMatch(/\S/);
    expect(answer.error.data.httpStatus, context).toBeLessThan(500);
  }
  if (answers.every((a) => a.error)) {
    expect(await storedState(), `a refused request changed stored data: ${context}`).toEqual(before);
  }
  expect(Object.keys(Object.prototype), "Object.prototype was polluted").toEqual([]);
  return res;
}

describe("the tRPC endpoint", () => {
  it("answers random calls and batches safely", async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(trpcRequest, headers(), async ({ method, path, body }, hdrs) => {
        const { status } = await expectSafeTrpcAnswer(method, path, hdrs, body);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }),
      { numRuns, endOnFailure: true },
    );
    console.info(`tRPC: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  });

  it("refuses hidden characters in every string, in single calls and in batches, storing nothing", async () => {
    const json = { "content-type": "application/json", authorization: `Bearer ${ws.MEMBER.token}` };
    for (const hidden of hiddenSamples) {
      const rename = { repoId: ws.repo.id, apikeyId: liveKeys[0], name: `look${hidden}alike` };
      const single = await expectSafeTrpcAnswer(
        "POST",
        "/api/trpc/updateAiApiKey",
        json,
        Buffer.from(JSON.stringify(rename)),
      );
      expect(single.status).toBe(400);
      const batch = { 0: rename, 1: { repoId: ws.repo.id, name: `new${hidden}`, aiType: "OTHER" } };
      const batched = await expectSafeTrpcAnswer(
        "POST",
        "/api/trpc/updateAiApiKey,createAiApiKey?batch=1",
        json,
        Buffer.from(JSON.stringify(batch)),
      );
      expect(batched.status).toBe(400);
      const query = encodeURIComponent(JSON.stringify({ 0: { contextId: `id${hidden}` } }));
      const listed = await expectSafeTrpcAnswer("GET", `/api/trpc/listSystemEvents?batch=1&input=${query}`, json);
      expect(listed.status).toBe(400);
    }
  });
});

/** NUL, controls, and invisible or direction-changing characters (the review's look-alike names). */
const hiddenSamples = [
  "\u0000",
  "\u001b",
  "\u0085",
  "\u00AD",
  "\u061C",
  "\u200B",
  "\u200D",
  "\u200E",
  "\u200F",
  "\u202A",
  "\u202E",
  "\u2060",
  "\u2064",
  "\u2066",
  "\u2069",
  "\uFEFF",
  "\u2028",
  "\u3164",
];

describe("every string input of every procedure", () => {
  /** The string fields of a procedure's input, read from its schema, so that a new field is covered by itself. */
  const stringFields = (schema: z.ZodType) => {
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
      properties?: Record<string, { type?: string; anyOf?: { type?: string }[] }>;
    };
    return Object.entries(json.properties ?? {})
      .filter(([, p]) => p.type === "string" || p.anyOf?.some((a) => a.type === "string"))
      .map(([field]) => field);
  };
  const cases = procedureCatalog().flatMap(({ name, input }) =>
    input ? stringFields(input).map((field) => [name, field, input] as const) : [],
  );

  it("covers the fields that take text", () => {
    expect(cases.map(([name, field]) => `${name}.${field}`)).toEqual(
      expect.arrayContaining([
        "createAiApiKey.name",
        "updateAiApiKey.name",
        "createApiToken.name",
        "listSystemEvents.contextId",
      ]),
    );
  });

  it.each(cases.map(([name, field, input]) => ({ name, field, input })))(
    "$name: $field refuses NUL, control and invisible characters",
    ({ field, input }) => {
      for (const hidden of hiddenSamples) {
        for (const value of [`a${hidden}b`, hidden, `${hidden}abc`]) {
          const result = input.safeParse({ [field]: value });
          expect(result.success, `${field} = ${JSON.stringify(value)}`).toBe(false);
          expect(
            result.error!.issues.some((issue) => issue.path[0] === field),
            JSON.stringify(value),
          ).toBe(true);
        }
      }
    },
  );
});

describe("requests Node cannot parse", () => {
  /** Raw bytes on a socket: no HTTP client would send these. */
  async function sendRaw(text: string) {
    const { hostname, port } = new URL(h.baseUrl);
    const socket = connect(Number(port), hostname);
    socket.end(text);
    const chunks: Buffer[] = [];
    for await (const chunk of socket) chunks.push(chunk as Buffer);
    const answer = Buffer.concat(chunks).toString("utf8");
    const [head = "", body = ""] = answer.split("\r\n\r\n");
    return { status: Number(head.split(" ")[1]), head, body };
  }

  it.each([
    ["broken framing", `GET /repo/x/ai/apikey HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n`, 400],
    ["a bad Content-Length", `PUT /repo/x/ai/apikey/y HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n`, 400],
    ["a URL over the header limit", `GET /repo/${"r".repeat(20_000)}/ai/apikey HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
  ])("answers %s with a JSON error", async (_what, text, status) => {
    const res = await sendRaw(text);
    expect(res.status).toBe(status);
    expect(res.head).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(res.body)).toMatchObject({ success: false, message: expect.any(String) });
  });
});
