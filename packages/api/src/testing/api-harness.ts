import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { formatMasterKey } from "@repokeys/crypto";
import { connectDatabase, migrate } from "@repokeys/db";
import { createTestDatabase, type TestDatabase } from "@repokeys/db/testing";
import { createRepo, createUser, createWorkspace, setMember } from "../admin/operator-actions";
import {
  type Actor,
  type ApiServices,
  answerMalformedRequest,
  createApiRequestHandler,
  createApiServices,
  createCaller,
  createLogger,
  type RateLimitSettings,
  typedCallContext,
} from "../index";
import { defaultWebhookSettings, type WebhookSettings } from "../webhooks/webhook-settings";

export interface Harness {
  services: ApiServices;
  database: TestDatabase;
  /** The `MASTER_KEYS` value this instance runs with; a second instance on the same database needs the same. */
  masterKeys: string;
  baseUrl: string;
  /** Every log line the server wrote, as text. */
  logs: string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  tokenCacheTtlMs?: number;
  keyCacheTtlMs?: number;
  /** A PostgreSQL server to create the fresh database on, instead of the test run's default. */
  serverUrl?: string;
  /** Join this existing database (another harness's `database.databaseUrl`): a second app instance. */
  databaseUrl?: string;
  /** Defaults to a new random version-1 key. */
  masterKeys?: string;
  /** Defaults to no limits, so that tests are not throttled by accident. */
  rateLimits?: RateLimitSettings;
  /** As `TRUST_PROXY=1`: the client address is the last `X-Forwarded-For` entry, so a test can be many clients. */
  trustProxy?: boolean;
  /** Whether the instance hears other instances' announcements (default true; off to test the TTL bound). */
  listen?: boolean;
  /** Webhook delivery settings over the defaults (e.g. `allowPrivate` and short retries for a local receiver). */
  webhooks?: Partial<WebhookSettings>;
  /** Whether this instance sends webhook deliveries (default true; off when another process should). */
  deliverWebhooks?: boolean;
  /** As `MAX_KEYS_PER_REPO` (default 10,000). */
  maxKeysPerRepo?: number;
}

/** A real database (PostgreSQL or PGlite, see @repokeys/db/testing), the real services and a real HTTP server. */
export async function startHarness({
  tokenCacheTtlMs = 5_000,
  keyCacheTtlMs = 5_000,
  serverUrl,
  databaseUrl,
  masterKeys = formatMasterKey(1),
  rateLimits,
  trustProxy,
  listen,
  webhooks,
  deliverWebhooks,
  maxKeysPerRepo,
}: HarnessOptions = {}): Promise<Harness> {
  const database = databaseUrl ? await joinDatabase(databaseUrl) : await createTestDatabase({ serverUrl });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const services = await createApiServices(
    database.db,
    {
      masterKeys,
      tokenCacheTtlMs,
      keyCacheTtlMs,
      embeddedDataDir: undefined,
      rateLimits,
      listen,
      webhooks: { ...defaultWebhookSettings, ...webhooks },
      deliverWebhooks,
      maxKeysPerRepo,
    },
    createLogger("info", sink),
  );
  const handle = createApiRequestHandler(services, { trustProxy });
  const server: Server = createServer((req, res) => {
    handle(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(404).end();
      }
    });
  });
  server.on("clientError", answerMalformedRequest);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    services,
    database,
    masterKeys,
    baseUrl: `http://127.0.0.1:${port}`,
    logs,
    async close() {
      server.closeAllConnections();
      server.close();
      await services.webhooks.stop();
      await services.keyUsage.close();
      await services.rateLimits.close();
      await database.dispose();
    },
  };
}

/** A second connection pool on a database another harness created (and will drop). */
async function joinDatabase(databaseUrl: string): Promise<TestDatabase> {
  const db = await connectDatabase({ databaseUrl, poolMax: 20 });
  await migrate(db);
  return { db, databaseUrl, dispose: () => db.close() };
}

let counter = 0;

export interface Member {
  actor: Actor;
  token: string;
}

/** A workspace with one repository and a member for each role, each with an API token. */
export async function createWorkspaceFixture(services: ApiServices) {
  const tag = `${process.pid}-${++counter}`;
  const makeUser = async (role: string): Promise<Member> => {
    const user = await createUser(services, {
      email: `${role.toLowerCase()}-${tag}@example.test`,
      name: `${role} ${tag}`,
    });
    const actor = { userId: user.id, email: user.email, name: user.name };
    const { token } = await createCaller(typedCallContext(services, actor)).createApiToken({ name: "tests" });
    return { actor, token };
  };
  const owner = await makeUser("OWNER");
  const workspace = await createWorkspace(services, { name: `Workspace ${tag}`, ownerEmail: owner.actor.email });
  const repo = await createRepo(services, { workspaceId: workspace.id, name: `repo-${tag}` });
  const members: Record<"OWNER" | "ADMIN" | "MEMBER" | "VIEWER", Member> = {
    OWNER: owner,
    ADMIN: await makeUser("ADMIN"),
    MEMBER: await makeUser("MEMBER"),
    VIEWER: await makeUser("VIEWER"),
  };
  for (const role of ["ADMIN", "MEMBER", "VIEWER"] as const) {
    await setMember(services, { workspaceId: workspace.id, email: members[role].actor.email, role });
  }
  return { workspace, repo, ...members };
}

export type WorkspaceFixture = Awaited<ReturnType<typeof createWorkspaceFixture>>;

/** A plain fetch with a bearer token and JSON, returning status, headers and the parsed body. */
export async function api(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string | Buffer; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Buffer | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(baseUrl + path, { method, headers, body });
  failOnOpenApiViolations(method, path, res.headers.get("sl-violations"));
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests assert on arbitrary response JSON
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/**
 * Tests that go through the OpenAPI validating proxy (Prism) get its findings in `sl-violations`: an answer
 * that differs from the published document fails the test that got it. Requests may break the contract on
 * purpose (that is what error tests do), so only the findings about the answer count.
 */
function failOnOpenApiViolations(method: string, path: string, header: string | null) {
  if (!header) return;
  const violations = (JSON.parse(header) as { location: string[]; message: string }[]).filter(
    (v) => v.location[0] === "response",
  );
  if (violations.length) {
    throw new Error(
      `The answer to ${method} ${path} differs from /openapi.json:\n${violations.map((v) => `- ${v.location.join(".")}: ${v.message}`).join("\n")}`,
    );
  }
}
