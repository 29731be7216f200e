// Nothing is lost when an embedded installation is backed up and restored, or moved to PostgreSQL: every key
// still verifies with its secret (and its sealed secret still opens), every token still authenticates, and every
// table, the audit trail first, is identical. The commands run as the admin socket runs them, while "the app"
// (these services) holds the database; a backup taken under a write load restores to a consistent state.
// One file past 300 lines: its cases run in order on one installation and one target database.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { formatMasterKey, openSecret } from "@repokeys/crypto";
import { connectDatabase, type Database, migrate } from "@repokeys/db";
import { createTestDatabase, type TestDatabase, testDatabaseServerUrl } from "@repokeys/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminCommandContext } from "../src/admin/admin-commands";
import { createRepo, createUser, createWorkspace } from "../src/admin/operator-actions";
import { runAdminCommand } from "../src/admin/run-admin-command";
import { type ApiServices, createApiServices, createCaller, createLogger, typedCallContext } from "../src/index";
import { type PostgresCluster, startPostgresCluster } from "./support/postgres-cluster";

const masterKeys = formatMasterKey(1);
let workDir: string;
let dataDir: string;
let db: Database;
let services: ApiServices;
let repoId: string;
const keys: { id: string; key: string; secret: string; deleted: boolean }[] = [];
const tokens: { token: string; revoked: boolean }[] = [];
let pgServerUrl: string;
let cluster: PostgresCluster | undefined;

const servicesOn = (database: Database) =>
  createApiServices(database, { masterKeys, tokenCacheTtlMs: 0, embeddedDataDir: undefined }, createLogger("silent"));

/** Every row of every table, as JSON text in a fixed order: what "identical" means below. */
async function contents(database: Database): Promise<Record<string, string[]>> {
  const tables = await database.sql.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`,
  );
  const all: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = await database.transaction(async (tx) => {
      await tx.exec("SET LOCAL TimeZone = 'UTC'");
      return tx.query<{ r: string }>(`SELECT to_jsonb(t)::text AS r FROM "${name}" t ORDER BY 1`);
    });
    all[name] = rows.map((row) => row.r);
  }
  return all;
}

/** The checks the issue asks for, on a copy: keys verify and their secrets open, tokens authenticate. */
async function expectEverythingUsable(copy: ApiServices) {
  for (const k of keys) {
    const verdict = await copy.keyVerifier.verify(k.key, k.secret, "gateway");
    expect(verdict.valid).toBe(!k.deleted);
    const [row] = await copy.db.sql.query<{ secretCiphertext: Uint8Array; masterKeyVersion: number }>(
      `SELECT "secretCiphertext", "masterKeyVersion" FROM "RepoAiApiKey" WHERE id = $1`,
      [k.id],
    );
    const sealed = { masterKeyVersion: row!.masterKeyVersion, ciphertext: Buffer.from(row!.secretCiphertext) };
    expect(openSecret(copy.keyring, sealed, k.key)).toBe(k.secret);
  }
  for (const t of tokens) expect((await copy.bearerTokens.verify(t.token)) === null).toBe(t.revoked);
}

const context = (overrides: Partial<AdminCommandContext> = {}): AdminCommandContext => ({
  services: async () => services,
  stdin: undefined,
  cwd: workDir,
  embedded: { dataDir, masterKeys },
  ...overrides,
});

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), "repokeys-backup-"));
  dataDir = path.join(workDir, "data");
  db = await connectDatabase({ dataDir });
  await migrate(db);
  services = await servicesOn(db);
  const owner = await createUser(services, { email: "owner@example.com", name: "Owner", password: "a long password" });
  const workspace = await createWorkspace(services, { name: "Platform", ownerEmail: owner.email });
  repoId = (await createRepo(services, { workspaceId: workspace.id, name: "gateway" })).id;
  const api = createCaller(typedCallContext(services, { userId: owner.id, email: owner.email, name: owner.name }));
  for (let i = 0; i < 12; i++) {
    const created = await api.createAiApiKey({ repoId, name: `key ${i}`, aiType: i % 2 ? "OPENAI" : "ANTHROPIC" });
    keys.push({ id: created.id, key: created.key, secret: created.secret, deleted: false });
  }
  for (const k of keys.slice(0, 4)) await api.updateAiApiKey({ repoId, apikeyId: k.id, name: `renamed ${k.id}` });
  for (const k of keys.slice(8)) {
    await api.deleteAiApiKey({ repoId, apikeyId: k.id });
    k.deleted = true;
  }
  for (let i = 0; i < 3; i++)
    tokens.push({ token: (await api.createApiToken({ name: `t${i}` })).token, revoked: false });
  const [revoked] = await api.listApiTokens();
  await api.revokeApiToken({ id: revoked!.id });
  for (const t of tokens) t.revoked = (await services.bearerTokens.verify(t.token)) === null;
  expect(tokens.filter((t) => t.revoked)).toHaveLength(1);

  const configured = testDatabaseServerUrl();
  if (configured) pgServerUrl = configured;
  else {
    cluster = await startPostgresCluster();
    pgServerUrl = cluster.serverUrl;
  }
});

afterAll(async () => {
  await db?.close();
  await cluster?.dispose();
  await rm(workDir, { recursive: true, force: true });
});

describe("backup and restore", () => {
  let backup: Record<string, unknown>;

  it("backs up with pg_dump while the app holds the database, into a file only its owner can read", async () => {
    const output = await runAdminCommand(["backup", "--file", "first.sql"], context());
    expect(output).toMatchObject({ exitCode: 0, stderr: "" });
    backup = JSON.parse(output.stdout);
    expect(backup).toMatchObject({
      file: path.join(workDir, "first.sql"),
      // 20 events of keys, 4 of tokens (3 created, 1 revoked)
      rows: { RepoAiApiKey: 12, ApiToken: 3, User: 1, SystemEvent: 24 },
      keepWithThisBackup: { MASTER_KEYS: "the MASTER_KEYS value this installation runs with" },
    });
    expect((await stat(path.join(workDir, "first.sql"))).mode & 0o777).toBe(0o600);
    const again = await runAdminCommand(["backup", "--file", "first.sql"], context());
    expect(again).toMatchObject({ exitCode: 1, stdout: "" });
    expect(again.stderr).toMatch(/already exists; a backup never overwrites a file/);
  });

  it("refuses to restore into a data folder that has a database, or without the master key", async () => {
    const occupied = await runAdminCommand(["restore", "--file", "first.sql"], context());
    expect(occupied.exitCode).toBe(1);
    expect(occupied.stderr).toContain(`${dataDir} already holds a database`);
    const keyless = await runAdminCommand(
      ["restore", "--file", "first.sql"],
      context({ embedded: { dataDir: path.join(workDir, "keyless"), masterKeys: undefined } }),
    );
    expect(keyless.exitCode).toBe(1);
    expect(keyless.stderr).toMatch(/Put the master key kept with the backup in place first/);
  });

  it("restores into an empty data folder: every key, token and event as before", async () => {
    const restoredDir = path.join(workDir, "restored");
    const output = await runAdminCommand(
      ["restore", "--file", "first.sql"],
      context({ embedded: { dataDir: restoredDir, masterKeys } }),
    );
    expect(output).toMatchObject({ exitCode: 0, stderr: "" });
    expect(JSON.parse(output.stdout)).toMatchObject({ dataDir: restoredDir, migrations: [], rows: backup.rows });
    const restored = await connectDatabase({ dataDir: restoredDir });
    try {
      expect(await contents(restored)).toEqual(await contents(db));
      await expectEverythingUsable(await servicesOn(restored));
    } finally {
      await restored.close();
    }
  });

  it("takes a consistent backup while keys are being created and renamed", async () => {
    const api = createCaller(
      typedCallContext(services, {
        userId: (await services.db.prisma.user.findFirstOrThrow()).id,
        email: "",
        name: "",
      }),
    );
    let writing = true;
    let written = 0;
    const load = (async () => {
      while (writing) {
        const created = await api.createAiApiKey({ repoId, name: `load ${written}`, aiType: "OTHER" });
        await api.updateAiApiKey({ repoId, apikeyId: created.id, name: `load ${written} renamed` });
        written++;
        // Requests reach a server as I/O: let timers (and the backup) have their turn between them.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const output = await runAdminCommand(["backup", "--file", "loaded.sql"], context());
    const before = written;
    await new Promise((resolve) => setTimeout(resolve, 300));
    writing = false;
    await load;
    expect(output.exitCode).toBe(0);
    expect(written).toBeGreaterThan(before); // the app went on writing after the backup

    const restoredDir = path.join(workDir, "loaded");
    const restore = await runAdminCommand(
      ["restore", "--file", "loaded.sql"],
      context({ embedded: { dataDir: restoredDir, masterKeys } }),
    );
    expect(restore.exitCode).toBe(0);
    // What the backup said it holds is what came back.
    expect(JSON.parse(restore.stdout).rows).toEqual(JSON.parse(output.stdout).rows);
    const restored = await connectDatabase({ dataDir: restoredDir });
    try {
      // Each key arrives with exactly its own events (created, and renamed if it was), and no event without its key.
      const [check] = await restored.sql.query<{ keys: number; orphans: number; unaudited: number; partial: number }>(
        `SELECT (SELECT count(*)::int FROM "RepoAiApiKey" WHERE name LIKE 'load %') AS keys,
           (SELECT count(*)::int FROM "SystemEvent" e WHERE e.context = 'aillmapikey' AND NOT EXISTS
              (SELECT FROM "RepoAiApiKey" k WHERE k.id = e."contextId")) AS orphans,
           (SELECT count(*)::int FROM "RepoAiApiKey" k WHERE NOT EXISTS
              (SELECT FROM "SystemEvent" e WHERE e."contextId" = k.id AND e.event = 'created')) AS unaudited,
           (SELECT count(*)::int FROM "RepoAiApiKey" k WHERE k.name LIKE '% renamed' AND NOT EXISTS
              (SELECT FROM "SystemEvent" e WHERE e."contextId" = k.id AND e.event = 'updated')) AS partial`,
      );
      expect(check).toMatchObject({ orphans: 0, unaudited: 0, partial: 0 });
      expect(check!.keys).toBeGreaterThan(0);
      expect(check!.keys).toBeLessThan(written);
    } finally {
      await restored.close();
    }
  });
});

describe("move to PostgreSQL", () => {
  let target: TestDatabase;

  beforeAll(async () => {
    target = await createTestDatabase({ migrated: false, serverUrl: pgServerUrl });
  });

  afterAll(async () => {
    await target?.dispose();
  });

  it("leaves the target as it found it when the copy fails half-way", async () => {
    // A rule only the target gets (added as soon as the move creates SystemEvent), which the audit trail's
    // deletions break: the copy fails after the schema and other tables went in.
    await target.db.sql.query(`CREATE FUNCTION no_deletes() RETURNS event_trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF to_regclass('public."SystemEvent"') IS NOT NULL AND NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'no_deletes') THEN
          ALTER TABLE "SystemEvent" ADD CONSTRAINT no_deletes CHECK (event <> 'deleted');
        END IF;
      END $$`);
    await target.db.sql.query(`CREATE EVENT TRIGGER no_deletes ON ddl_command_end EXECUTE FUNCTION no_deletes()`);
    try {
      const output = await runAdminCommand(["move-to-postgres", "--database-url", target.databaseUrl!], context());
      expect(output.exitCode).toBe(1);
      expect(output.stderr).toContain("no_deletes");
      expect(await target.db.sql.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).toEqual([]);
      // The migrations' own functions (a trigger's) go too; the target's own stay.
      expect(
        await target.db.sql.query(
          `SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'`,
        ),
      ).toEqual([{ proname: "no_deletes" }]);
    } finally {
      await target.db.sql.query(`DROP EVENT TRIGGER no_deletes`);
      await target.db.sql.query(`DROP FUNCTION no_deletes()`);
    }
  });

  it("copies everything into the empty database, verified, and says where the secrets to set are", async () => {
    const output = await runAdminCommand(["move-to-postgres", "--database-url", target.databaseUrl!], context());
    expect(output).toMatchObject({ exitCode: 0, stderr: "" });
    const moved = JSON.parse(output.stdout);
    expect(moved).toMatchObject({
      verified: true,
      startTheNewDeploymentWith: { MASTER_KEYS: "the MASTER_KEYS value this installation runs with" },
    });
    expect(output.stdout).not.toContain(masterKeys);
    const source = await contents(db);
    expect(await contents(target.db)).toEqual(source);
    for (const [table, rows] of Object.entries(source)) expect(moved.tables[table].rows).toBe(rows.length);

    const onPostgres = await servicesOn(target.db);
    await expectEverythingUsable(onPostgres);
    // The audit trail's ids go on after the copied ones.
    const owner = await onPostgres.db.prisma.user.findFirstOrThrow();
    const api = createCaller(typedCallContext(onPostgres, { userId: owner.id, email: owner.email, name: owner.name }));
    await api.createAiApiKey({ repoId, name: "after the move", aiType: "OTHER" });
    const [ids] = await target.db.sql.query<{ last: string }>(`SELECT max(id)::text AS last FROM "SystemEvent"`);
    const lastCopied = Math.max(...source.SystemEvent!.map((row) => JSON.parse(row).id as number));
    expect(Number(ids!.last)).toBe(lastCopied + 1);
  });

  it("refuses a target with any table before touching it, even another application's _prisma_migrations", async () => {
    const again = await runAdminCommand(["move-to-postgres", "--database-url", target.databaseUrl!], context());
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/^error: The target database is not empty \(it has a table (?!_prisma)\w+/);
    for (const tables of [
      [`CREATE TABLE invoices (id int)`],
      // Another Prisma application's database, or ours after an interrupted move: never migrated into.
      [`CREATE TABLE "_prisma_migrations" (id text)`],
      [`CREATE TABLE "_prisma_migrations" (id text)`, `CREATE TABLE "Invoice" (id int)`],
    ]) {
      const foreign = await createTestDatabase({ migrated: false, serverUrl: pgServerUrl });
      try {
        for (const statement of tables) await foreign.db.sql.query(statement);
        const before = await foreign.db.sql.query(
          `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
        );
        const refused = await runAdminCommand(["move-to-postgres", "--database-url", foreign.databaseUrl!], context());
        expect(refused.exitCode).toBe(1);
        expect(refused.stderr).toMatch(/it has a table (invoices|Invoice|_prisma_migrations); if an earlier move/);
        expect(
          await foreign.db.sql.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`),
        ).toEqual(before);
      } finally {
        await foreign.dispose();
      }
    }
  });
});
