import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { formatMasterKey, hashPassword } from "@repokeys/crypto";
import { connectDatabase, type Database, demoAccount, migrate, seedDemo } from "@repokeys/db";
import { createTestDatabase } from "@repokeys/db/testing";

export const viewerAccount = { email: "viewer@repokeys.local", password: "viewer-password", name: "Vera Viewer" };

export interface TestData {
  kind: "PGlite" | "PostgreSQL";
  /** The server's environment: a fresh database of the run's kind. */
  env: Record<string, string>;
  repoId: string;
  dispose(): Promise<void>;
}

/** The demo account (OWNER) and a VIEWER of the same workspace. */
async function seed(db: Database): Promise<string> {
  const demo = await seedDemo(db);
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
  return demo.repoId;
}

/**
 * A fresh database for one test file: a new database on the PostgreSQL server when TEST_DATABASE_URL is set
 * (production mode: MASTER_KEYS and AUTH_SECRET given), otherwise a new embedded data folder (which generates both).
 */
export async function prepareTestData(): Promise<TestData> {
  if (process.env.TEST_DATABASE_URL) {
    const database = await createTestDatabase();
    const repoId = await seed(database.db);
    return {
      kind: "PostgreSQL",
      env: {
        DATABASE_URL: database.databaseUrl!,
        MASTER_KEYS: formatMasterKey(1),
        AUTH_SECRET: randomBytes(33).toString("base64"),
      },
      repoId,
      dispose: () => database.dispose(),
    };
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), "repokeys-web-test-"));
  // The embedded database allows one process at a time: seed, close, then the server opens it.
  const db = await connectDatabase({ dataDir });
  let repoId: string;
  try {
    await migrate(db);
    repoId = await seed(db);
  } finally {
    await db.close();
  }
  return {
    kind: "PGlite",
    env: { DATA_DIR: dataDir },
    repoId,
    dispose: () => rm(dataDir, { recursive: true, force: true }),
  };
}

export { demoAccount };
