import { mkdtemp, stat } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { encode } from "@auth/core/jwt";
import { hashPassword } from "@repokeys/crypto";
import { createTestDatabase, type TestDatabase } from "@repokeys/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SessionVersions } from "../src";
import { AuthSecretConfigError, createSessionResolver, loadAuthSecret, verifyPasswordSignIn } from "../src/web";

const secret = "a-test-secret-that-is-long-enough-0123456789";
const request = (cookie: string) => ({ headers: { cookie } }) as IncomingMessage;

describe("session cookie resolver", () => {
  let database: TestDatabase;
  let userId: string;
  let versions: SessionVersions;
  let resolve: ReturnType<typeof createSessionResolver>;
  const token = (salt: string, claims: Record<string, unknown> = {}) =>
    encode({ secret, salt, token: { sub: userId, email: "a@example.test", name: "A", sessionVersion: 0, ...claims } });

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ id: userId } = await database.db.prisma.user.create({ data: { email: "a@example.test", name: "A" } }));
    versions = new SessionVersions(database.db.sql, { cacheTtlMs: 5_000 });
    resolve = createSessionResolver(secret, versions);
  });
  afterAll(() => database.dispose());

  it("reads the user from the plain and the __Secure- cookie", async () => {
    const plain = await token("authjs.session-token");
    const secure = await token("__Secure-authjs.session-token");
    const user = { userId, email: "a@example.test", name: "A" };
    expect(await resolve(request(`other=1; authjs.session-token=${plain}`))).toEqual(user);
    expect(await resolve(request(`__Secure-authjs.session-token=${secure}`))).toEqual(user);
  });

  it("rejects a token made for another cookie name, another secret, or expired", async () => {
    expect(await resolve(request(`authjs.session-token=${await token("__Secure-authjs.session-token")}`))).toBeNull();
    const foreign = await encode({
      secret: `${secret}x`,
      salt: "authjs.session-token",
      token: { sub: "u", email: "e" },
    });
    expect(await resolve(request(`authjs.session-token=${foreign}`))).toBeNull();
    const expired = await encode({
      secret,
      salt: "authjs.session-token",
      maxAge: -60,
      token: { sub: "u", email: "e" },
    });
    expect(await resolve(request(`authjs.session-token=${expired}`))).toBeNull();
    expect(await resolve(request("authjs.session-token=garbage"))).toBeNull();
    expect(await resolve(request(""))).toBeNull();
  });

  it("rejects a session without a version, of another version, or of an unknown user", async () => {
    for (const claims of [{ sessionVersion: undefined }, { sessionVersion: 1 }, { sessionVersion: "0" }, { sub: "x" }])
      expect(await resolve(request(`authjs.session-token=${await token("authjs.session-token", claims)}`))).toBeNull();
  });

  it("ends every session of the user at once here, and within the cache's bound on another instance", async () => {
    const bound = 300;
    const elsewhere = createSessionResolver(secret, new SessionVersions(database.db.sql, { cacheTtlMs: bound }));
    const before = request(`authjs.session-token=${await token("authjs.session-token")}`);
    expect(await resolve(before)).not.toBeNull();
    expect(await elsewhere(before)).not.toBeNull(); // now cached on the other instance

    await versions.endAll(userId);
    expect(await resolve(before)).toBeNull();
    await new Promise((done) => setTimeout(done, bound + 50));
    expect(await elsewhere(before)).toBeNull();
    // A session begun after the sign-out carries the new version and is valid everywhere.
    expect(await versions.current(userId)).toBe(1);
    const after = request(`authjs.session-token=${await token("authjs.session-token", { sessionVersion: 1 })}`);
    expect(await resolve(after)).not.toBeNull();
    expect(await elsewhere(after)).not.toBeNull();
  });
});

describe("AUTH_SECRET", () => {
  it("is required in production and generated once on the embedded default", async () => {
    await expect(loadAuthSecret({ configured: undefined, embeddedDataDir: undefined })).rejects.toThrow(
      AuthSecretConfigError,
    );
    await expect(loadAuthSecret({ configured: "short", embeddedDataDir: undefined })).rejects.toThrow(/too short/);
    const dir = await mkdtemp(path.join(tmpdir(), "auth-secret-"));
    const warnings: string[] = [];
    const first = await loadAuthSecret({ configured: undefined, embeddedDataDir: dir, warn: (m) => warnings.push(m) });
    const again = await loadAuthSecret({ configured: undefined, embeddedDataDir: dir, warn: (m) => warnings.push(m) });
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(again).toBe(first);
    expect(warnings).toHaveLength(1);
    expect((await stat(path.join(dir, "auth-secret"))).mode & 0o777).toBe(0o600);
  });
});

describe("password sign-in", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db.prisma.user.create({
      data: { email: "pw@example.test", name: "Pw", passwordHash: await hashPassword("right-password") },
    });
    await database.db.prisma.user.create({ data: { email: "sso@example.test", name: "Sso" } });
  });
  afterAll(() => database.dispose());

  it("signs in with the right password, whatever the email's case", async () => {
    const user = await verifyPasswordSignIn(database.db, { email: " PW@example.test", password: "right-password" });
    expect(user).toMatchObject({ email: "pw@example.test", name: "Pw" });
  });

  it("answers the same for a wrong password, an unknown email and an account without a password", async () => {
    const attempts = [
      { email: "pw@example.test", password: "wrong-password" },
      { email: "nobody@example.test", password: "right-password" },
      { email: "sso@example.test", password: "" },
      { email: 42, password: undefined },
    ];
    for (const attempt of attempts) expect(await verifyPasswordSignIn(database.db, attempt)).toBeNull();
  });

  it("spends an Argon2 verification on unknown emails too", async () => {
    const time = async (email: string) => {
      const started = performance.now();
      await verifyPasswordSignIn(database.db, { email, password: "wrong-password" });
      return performance.now() - started;
    };
    await time("nobody@example.test"); // the dummy hash is made on first use
    const known = Math.min(await time("pw@example.test"), await time("pw@example.test"));
    const unknown = Math.min(await time("nobody@example.test"), await time("nobody@example.test"));
    expect(unknown).toBeGreaterThan(known / 3);
  });
});
