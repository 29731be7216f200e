import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { connectDatabase } from "../connect";
import { migrate, readMigrations } from "../migrate";

/**
 * Creating a PGlite cluster runs initdb, seconds on a busy machine; loading a dump of one takes a fraction of
 * that. So each test run makes the empty and the migrated cluster once, keeps their dumps on disk (keyed by
 * PGlite's version and every migration's checksum, so a changed migration makes new ones), and every test
 * database starts from a copy.
 */
const cacheDir = fileURLToPath(new URL("../../node_modules/.cache/repokeys-pglite/", import.meta.url));
const inProcess = new Map<string, Promise<Blob>>();

export function pgliteSnapshot(migrated: boolean): Promise<Blob> {
  const key = String(migrated);
  let snapshot = inProcess.get(key);
  if (!snapshot) {
    snapshot = loadOrMake(migrated);
    inProcess.set(key, snapshot);
  }
  return snapshot;
}

async function loadOrMake(migrated: boolean): Promise<Blob> {
  const file = path.join(cacheDir, `${await snapshotName(migrated)}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    const db = await connectDatabase({ dataDir: undefined });
    try {
      if (migrated) await migrate(db);
      const dump = await db.dumpDataDir!();
      // Written under a unique name, then renamed: test files starting side by side never read half a file.
      await mkdir(cacheDir, { recursive: true });
      const partial = `${file}.${randomBytes(6).toString("hex")}`;
      await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
      await rename(partial, file);
      return dump;
    } finally {
      await db.close();
    }
  }
}

async function snapshotName(migrated: boolean): Promise<string> {
  // The package's manifest is not exported; it sits beside the entry point's folder.
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const manifest = path.join(entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`)), "package.json");
  const pgliteVersion = JSON.parse(await readFile(manifest, "utf8")).version as string;
  const hash = createHash("sha256").update(pgliteVersion);
  if (migrated) for (const m of await readMigrations()) hash.update(`${m.name}:${m.checksum}\n`);
  return `${migrated ? "migrated" : "empty"}-${hash.digest("hex").slice(0, 16)}`;
}
