// Bearer token lookups are cached per instance for TOKEN_CACHE_TTL_MS (default 5 s). What that may cost, and
// no more: a token revoked through one instance stops there at once; every other instance stops trusting it
// within TOKEN_CACHE_TTL_MS. Two instances (own services, own verifier cache, own HTTP server) on one database:
// on PostgreSQL (TEST_DATABASE_URL) each has its own connection pool; on PGlite, which one process opens once,
// both share the one Database object.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { BearerTokenVerifier } from "@repokeys/auth";
import { formatMasterKey, sha256 } from "@repokeys/crypto";
import { connectDatabase, type Database, type SqlRunner } from "@repokeys/db";
import { createTestDatabase, type TestDatabase } from "@repokeys/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRepo, createUser, createWorkspace } from "../src/admin/operator-actions";
import {
  type Actor,
  type ApiServices,
  apiSettingsFromEnv,
  createApiRequestHandler,
  createApiServices,
  createCaller,
  createLogger,
  typedCallContext,
} from "../src/index";

const ttlMs = 1_000;

interface Instance {
  services: ApiServices;
  baseUrl: string;
  close(): Promise<void>;
}

async function startInstance(db: Database, masterKeys: string, listen = true): Promise<Instance> {
  const services = await createApiServices(
    db,
    { masterKeys, tokenCacheTtlMs: ttlMs, embeddedDataDir: undefined, listen },
    createLogger("silent"),
  );
  const handle = createApiRequestHandler(services);
  const server: Server = createServer((req, res) => {
    handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    services,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let database: TestDatabase;
let secondDb: Database | undefined;
let a: Instance;
let b: Instance;
let actor: Actor;
let repoId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const masterKeys = formatMasterKey(1);
  // PostgreSQL: instance B has a pool of its own. PGlite: one Database, two services, two caches.
  secondDb = database.databaseUrl
    ? await connectDatabase({ databaseUrl: database.databaseUrl, poolMax: 4 })
    : undefined;
  a = await startInstance(database.db, masterKeys);
  // B does not hear A's announcements (as when its listening connection is down): the TTL is its bound.
  b = await startInstance(secondDb ?? database.db, masterKeys, false);
  const user = await createUser(a.services, { email: `revoker-${process.pid}@example.test`, name: "Revoker" });
  actor = { userId: user.id, email: user.email, name: user.name };
  const workspace = await createWorkspace(a.services, { name: "Revocation", ownerEmail: user.email });
  repoId = (await createRepo(a.services, { workspaceId: workspace.id, name: "revocation" })).id;
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await secondDb?.close();
  await database?.dispose();
});

/** A call that needs nothing but a valid token (and membership): the repository's key list. */
async function status(instance: Instance, token: string): Promise<number> {
  const res = await fetch(`${instance.baseUrl}/repo/${repoId}/ai/apikey`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await res.arrayBuffer();
  return res.status;
}

describe("revoking a cached bearer token", () => {
  it("the documented bound: TOKEN_CACHE_TTL_MS, 5 seconds unless set", () => {
    expect(apiSettingsFromEnv({} as NodeJS.ProcessEnv).tokenCacheTtlMs).toBe(5_000);
    expect(apiSettingsFromEnv({ TOKEN_CACHE_TTL_MS: "1000" } as unknown as NodeJS.ProcessEnv).tokenCacheTtlMs).toBe(
      1_000,
    );
  });

  it("stops the token at once on the revoking instance and within TOKEN_CACHE_TTL_MS on one that hears no announcement", async () => {
    const caller = createCaller(typedCallContext(a.services, actor));
    const { token, apiToken } = await caller.createApiToken({ name: "revoked in a moment" });

    // Both instances verify the token now, so both hold it in their caches.
    expect(await status(a, token)).toBe(200);
    const bWarmedFrom = Date.now();
    expect(await status(b, token)).toBe(200);

    const revokedFrom = Date.now();
    await caller.revokeApiToken({ id: apiToken.id }); // through instance A's services

    // A: at once, although its cache held the token a moment ago.
    expect(await status(a, token)).toBe(401);

    // B: poll until it refuses. Every request sent more than TOKEN_CACHE_TTL_MS after the revocation began
    // must be refused; one answered before B's cache entry could have expired must still pass (the lag is real).
    const polls: { sentAt: number; answeredAt: number; status: number }[] = [];
    const deadline = revokedFrom + ttlMs + 5_000;
    while (Date.now() < deadline) {
      const sentAt = Date.now();
      const code = await status(b, token);
      polls.push({ sentAt, answeredAt: Date.now(), status: code });
      if (code === 401) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const refused = polls.at(-1)!;
    expect(refused.status).toBe(401);
    for (const poll of polls) {
      expect(poll.status).toBe(poll === refused ? 401 : 200);
      if (poll.sentAt > revokedFrom + ttlMs) expect(poll.status).toBe(401);
    }
    const first = polls[0]!;
    if (first.answeredAt < bWarmedFrom + ttlMs) expect(first.status).toBe(200);
    console.info(
      `token revoked through A: refused on A at once; B answered ${polls.length - 1} request(s) from its cache, ` +
        `refused ${refused.sentAt - revokedFrom} ms after the revocation began (TOKEN_CACHE_TTL_MS=${ttlMs})`,
    );

    // And it stays refused on both.
    expect(await status(a, token)).toBe(401);
    expect(await status(b, token)).toBe(401);
  });

  it("a lookup in flight while the token is revoked does not put it back into the revoking instance's cache", async () => {
    const token = "rkt_in-flight-token";
    const hash = sha256(token);
    let revoked = false;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let lookups = 0;
    // The database as the verifier sees it: the first lookup reads the row before the revocation commits,
    // and its answer arrives only after the revocation has been made and forgotten.
    const sql: SqlRunner = {
      async query<Row extends Record<string, unknown>>(text: string): Promise<Row[]> {
        if (!text.trimStart().startsWith("SELECT")) return [];
        lookups++;
        const visible = !revoked;
        if (lookups === 1) await gate;
        const row = {
          tokenId: "t1",
          userId: "u1",
          email: "u@example.test",
          name: "U",
          expiresAt: null,
          stampDue: false,
        };
        return (visible ? [row] : []) as unknown as Row[];
      },
    };
    // Revoked tokens are remembered as unknown too; a 1 ms memory of that lets this test see the positive cache.
    const verifier = new BearerTokenVerifier(sql, { cacheTtlMs: 60_000, unknownTtlMs: 1 });

    const inFlight = verifier.verify(token);
    await new Promise((resolve) => setImmediate(resolve));
    revoked = true;
    verifier.forget(hash);
    release();
    // The request that read the row before the revocation may pass: it was ordered before it.
    expect(await inFlight).toMatchObject({ tokenId: "t1" });
    // Every later request on this instance asks the database again, and is refused.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await verifier.verify(token)).toBeNull();
    expect(lookups).toBe(2);
  });
});
