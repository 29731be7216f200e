import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { formatMasterKey, hashPassword } from "@repokeys/crypto";
import { connectDatabase, type Database, demoAccount, migrate, seedDemo } from "@repokeys/db";
import { createTestDatabase } from "@repokeys/db/testing";

export const viewerAccount = { email: "viewer@repokeys.local", password: "viewer-password", name: "Vera Viewer" };
export const memberAccount = { email: "member@repokeys.local", password: "member-password", name: "Max Member" };

export interface TestData {
  kind: "PGlite" | "PostgreSQL";
  /** The server's environment: a fresh database of the run's kind. */
  env: Record<string, string>;
  repoId: string;
  /** The ids of `SeedOptions.extraRepos`, in order. */
  extraRepoIds: string[];
  /** Runs `work` on the test's database; on PGlite only once the server has stopped (one process at a time). */
  inspect<T>(work: (db: Database) => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
}

export interface SeedOptions {
  /** Renames the demo workspace (e.g. to a 100-character name, to test layouts). */
  workspaceName?: string;
  /** More repositories in the demo workspace. */
  extraRepos?: string[];
  /** Also a MEMBER of the demo workspace (`memberAccount`). */
  member?: boolean;
  /** This many day-old rename events of one key ("bulk") in the first extra repository (to test bounds). */
  bulkEvents?: number;
  /** This many keys ("bulk key 1" the newest) in the first extra repository, the oldest used yesterday. */
  bulkKeys?: number;
}

/** The demo account (OWNER) and a VIEWER of the same workspace (and a MEMBER when asked). */
async function seed(db: Database, options: SeedOptions): Promise<{ repoId: string; extraRepoIds: string[] }> {
  const demo = await seedDemo(db);
  if (options.workspaceName)
    await db.prisma.workspace.update({ where: { id: demo.workspaceId }, data: { name: options.workspaceName } });
  const extraRepoIds: string[] = [];
  for (const name of options.extraRepos ?? [])
    extraRepoIds.push((await db.prisma.repo.create({ data: { workspaceId: demo.workspaceId, name } })).id);
  if (options.bulkEvents)
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO "SystemEvent" (timestamp, context, "contextId", event, "userId", "workspaceId", "repoId", via, "jsonData")
       SELECT now() - interval '1 day' + n * interval '1 millisecond', 'aillmapikey', 'bulk', 'updated', $1, $2, $3, 'rest',
              jsonb_build_object('repoId', $3::text, 'apikeyId', 'bulk', 'before', jsonb_build_object('name', 'a'),
                                 'after', jsonb_build_object('name', 'b'), 'via', 'rest')
       FROM generate_series(1, $4::int) AS n`,
      demo.userId,
      demo.workspaceId,
      extraRepoIds[0],
      options.bulkEvents,
    );
  if (options.bulkKeys) {
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO "RepoAiApiKey" ("repoId", name, "aiType", key, "secretCiphertext", "masterKeyVersion", "secretHash", "createdAt")
       SELECT $1, 'bulk key ' || n, 'OTHER', 'rk_bulk_' || n, '\\x00', 1, '\\x00', now() - n * interval '1 second'
       FROM generate_series(1, $2::int) AS n`,
      extraRepoIds[0],
      options.bulkKeys,
    );
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO "KeyUsageDay" ("keyId", day, valid, refused)
       SELECT id, (now() AT TIME ZONE 'UTC')::date - 1, 42, 0 FROM "RepoAiApiKey" WHERE key = 'rk_bulk_' || $1`,
      options.bulkKeys,
    );
    await db.prisma.repo.update({ where: { id: extraRepoIds[0] }, data: { liveKeyCount: options.bulkKeys } });
  }
  const viewer = await db.prisma.user.create({
    data: {
      email: viewerAccount.email,
      name: viewerAccount.name,
      passwordHash: await hashPassword(viewerAccount.password),
    },
  });
  await db.prisma.workspaceMember.create({
    data: { workspaceId: demo.workspaceId, userId: viewer.id, role: "VIEWER" },
  });
  if (options.member) {
    const member = await db.prisma.user.create({
      data: {
        email: memberAccount.email,
        name: memberAccount.name,
        passwordHash: await hashPassword(memberAccount.password),
      },
    });
    await db.prisma.workspaceMember.create({
      data: { workspaceId: demo.workspaceId, userId: member.id, role: "MEMBER" },
    });
  }
  return { repoId: demo.repoId, extraRepoIds };
}

/**
 * A fresh database for one test file: a new database on the PostgreSQL server when TEST_DATABASE_URL is set
 * (production mode: MASTER_KEYS and AUTH_SECRET given), otherwise a new embedded data folder (which generates both).
 */
export async function prepareTestData(options: SeedOptions = {}): Promise<TestData> {
  if (process.env.TEST_DATABASE_URL) {
    const database = await createTestDatabase();
    const seeded = await seed(database.db, options);
    return {
      kind: "PostgreSQL",
      env: {
        DATABASE_URL: database.databaseUrl!,
        MASTER_KEYS: formatMasterKey(1),
        AUTH_SECRET: randomBytes(33).toString("base64"),
      },
      ...seeded,
      inspect: (work) => work(database.db),
      dispose: () => database.dispose(),
    };
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), "repokeys-web-test-"));
  // The embedded database allows one process at a time: seed, close, then the server opens it.
  const db = await connectDatabase({ dataDir });
  let seeded: Awaited<ReturnType<typeof seed>>;
  try {
    await migrate(db);
    seeded = await seed(db, options);
  } finally {
    await db.close();
  }
  return {
    kind: "PGlite",
    env: { DATA_DIR: dataDir },
    ...seeded,
    async inspect(work) {
      const db = await connectDatabase({ dataDir });
      try {
        return await work(db);
      } finally {
        await db.close();
      }
    },
    dispose: () => rm(dataDir, { recursive: true, force: true }),
  };
}

export { demoAccount };
