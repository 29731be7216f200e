// The embedded data folder on a shared host: whatever the database writes (password hashes in its WAL, key
// ciphertexts in its tables) is its owner's alone, a loose folder from before is closed at start, and a folder
// someone else owns is refused.
import { chmod, chown, lchown, lstat, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { connectDatabase, migrate, seedDemo, UntrustedDataDirError } from "../src";

const isRoot = process.getuid?.() === 0;
const nobody = 65534;

/** Every entry under `dir` (itself included) whose mode lets group or others in, with that mode. */
async function openToOthers(dir: string): Promise<string[]> {
  const loose: string[] = [];
  const walk = async (entry: string) => {
    const info = await lstat(entry);
    if (info.mode & 0o077) loose.push(`${path.relative(dir, entry) || "."} 0${(info.mode & 0o777).toString(8)}`);
    if (info.isDirectory()) for (const name of await readdir(entry)) await walk(path.join(entry, name));
  };
  await walk(dir);
  return loose;
}

/** Counts the files and folders under `dir`, so that a walk that found nothing provably looked. */
async function entries(dir: string): Promise<number> {
  let n = 0;
  for (const entry of await readdir(dir, { recursive: true })) if (entry) n++;
  return n;
}

let parent: string;
const umaskBefore = process.umask();

beforeEach(async () => {
  parent = await mkdtemp(path.join(tmpdir(), "repokeys-private-"));
  // What a shared host's default would give everything created without an explicit mode.
  process.umask(0o022);
});

afterEach(async () => {
  process.umask(umaskBefore);
  await rm(parent, { recursive: true, force: true });
});

it("writes a new database so that no file or folder of it is open to group or others, while open and after", async () => {
  const dataDir = path.join(parent, "data");
  const db = await connectDatabase({ dataDir });
  try {
    await migrate(db);
    // A password hash in the WAL, and enough writes for PGlite to add relation and WAL files as it runs.
    await seedDemo(db);
    await db.sql.query(`CREATE TABLE filler AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 50000) g`);
    await db.sql.query("CHECKPOINT");
    expect(await entries(dataDir)).toBeGreaterThan(500);
    expect(await openToOthers(dataDir)).toEqual([]);
    expect((await lstat(dataDir)).mode & 0o777).toBe(0o700);
  } finally {
    await db.close();
  }
  expect(await openToOthers(dataDir)).toEqual([]);
  // The umask is the process's: given back once the database is closed.
  expect(process.umask()).toBe(0o022);
});

it("closes an existing data folder left open to others, its database included, at start", async () => {
  const dataDir = path.join(parent, "data");
  const first = await connectDatabase({ dataDir });
  await migrate(first);
  await first.close();
  // A folder from before: everything readable and writable by all.
  for (const entry of await readdir(dataDir, { recursive: true })) await chmod(path.join(dataDir, entry), 0o777);
  await chmod(dataDir, 0o777);
  await writeFile(path.join(dataDir, "notes.txt"), "left by the operator", { mode: 0o666 });
  await chmod(path.join(dataDir, "notes.txt"), 0o666);
  expect((await openToOthers(dataDir)).length).toBeGreaterThan(500);

  const db = await connectDatabase({ dataDir });
  try {
    expect(await openToOthers(dataDir)).toEqual([]);
    expect((await lstat(path.join(dataDir, "notes.txt"))).mode & 0o777).toBe(0o600);
    expect((await lstat(path.join(dataDir, "pglite"))).mode & 0o777).toBe(0o700);
    expect(await db.sql.query(`SELECT count(*)::int AS n FROM "_prisma_migrations"`)).not.toEqual([{ n: 0 }]);
  } finally {
    await db.close();
  }
});

it.runIf(isRoot)("refuses a data folder that belongs to another user, and changes nothing in it", async () => {
  const dataDir = path.join(parent, "data");
  const first = await connectDatabase({ dataDir });
  await first.close();
  await chmod(dataDir, 0o755);
  await chown(dataDir, nobody, nobody);
  const refused = connectDatabase({ dataDir, lockWaitMs: 0 });
  await expect(refused).rejects.toThrow(UntrustedDataDirError);
  await expect(connectDatabase({ dataDir, lockWaitMs: 0 })).rejects.toThrow(
    `Refusing to use the data folder ${dataDir}: it belongs to user ${nobody}, not to you (0).`,
  );
  expect((await lstat(dataDir)).mode & 0o777).toBe(0o755);
  expect(process.umask()).toBe(0o022);
});

it.runIf(isRoot)("refuses a data folder holding a file that belongs to another user", async () => {
  const dataDir = path.join(parent, "data");
  const first = await connectDatabase({ dataDir });
  await migrate(first);
  await first.close();
  const planted = path.join(dataDir, "pglite", "postgresql.auto.conf");
  await chown(planted, nobody, nobody);
  await expect(connectDatabase({ dataDir, lockWaitMs: 0 })).rejects.toThrow(
    `pglite/postgresql.auto.conf belongs to user ${nobody}, not to you (0)`,
  );
});

it.runIf(isRoot)(
  "refuses a data folder reached through another user's link, and opens a link of its own by its real path",
  async () => {
    const target = path.join(parent, "real-data");
    const dataDir = path.join(parent, "data");
    await mkdir(target, { mode: 0o700 });
    await symlink(target, dataDir);
    await lchown(dataDir, nobody, nobody);
    await expect(connectDatabase({ dataDir, lockWaitMs: 0 })).rejects.toThrow(
      `Refusing to use the data folder ${dataDir}: it is a link that belongs to user ${nobody}, not to you (0) or root.`,
    );
    await lchown(dataDir, 0, 0);
    const db = await connectDatabase({ dataDir, lockWaitMs: 0 });
    try {
      // Swapped after the start: the open database stays in the folder the link led to when it was checked.
      await rm(dataDir);
      await symlink(path.join(parent, "elsewhere"), dataDir);
      await migrate(db);
      expect(await readdir(target)).toContain("pglite");
    } finally {
      await db.close();
    }
  },
);

it("refuses a data folder that is a file", async () => {
  const dataDir = path.join(parent, "data");
  await writeFile(dataDir, "");
  await expect(connectDatabase({ dataDir, lockWaitMs: 0 })).rejects.toThrow(/data folder .*: it is not a folder/);
});
