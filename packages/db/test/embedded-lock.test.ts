import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { connectDatabase, EmbeddedDatabaseInUseError, migrate } from "../src";
import { readMigrations } from "../src/migrate";

const holder = fileURLToPath(new URL("./fixtures/hold-embedded-database.ts", import.meta.url));
/** Every migration applied once: the folder's data survived the other process. */
const allApplied = async () => [{ n: (await readMigrations()).length }];

it("a second process cannot open an embedded data folder that is in use, and is told why", async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), "repokeys-lock-"));
  const first = await connectDatabase({ dataDir });
  try {
    await migrate(first);
    await expect(connectDatabase({ dataDir, lockWaitMs: 1_500 })).rejects.toThrow(EmbeddedDatabaseInUseError);
    await expect(connectDatabase({ dataDir, lockWaitMs: 1_500 })).rejects.toThrow(/in use by another process/);
  } finally {
    await first.close();
  }
  const again = await connectDatabase({ dataDir });
  expect(await again.sql.query(`SELECT count(*)::int AS n FROM "_prisma_migrations"`)).toEqual(await allApplied());
  await again.close();
});

it("takes over the lock of a process that crashed while holding the folder", async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), "repokeys-lock-"));
  const child = spawn(process.execPath, ["--import", "tsx", holder, dataDir], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("holding") && resolve());
    child.on("exit", (code) => reject(new Error(`holder exited early with ${code}`)));
  });
  child.kill("SIGKILL");
  const db = await connectDatabase({ dataDir });
  expect(await db.sql.query(`SELECT count(*)::int AS n FROM "_prisma_migrations"`)).toEqual(await allApplied());
  await db.close();
});
