// The embedded default as the app starts it on a shared host (umask 022): its data folder, with the database,
// the generated master key, the admin socket and a backup written through it, is open to no one but its owner.
import { lstat, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { runAdminCommand } from "../src/admin/run-admin-command";
import { apiSettingsFromEnv, createLogger, serveAdminCommands, startApiServices } from "../src/index";

/** Every entry under `dir` (itself included) whose mode lets group or others in. */
async function openToOthers(dir: string): Promise<string[]> {
  const loose: string[] = [];
  for (const entry of ["", ...(await readdir(dir, { recursive: true }))]) {
    const { mode } = await lstat(path.join(dir, entry));
    if (mode & 0o077) loose.push(`${entry || "."} 0${(mode & 0o777).toString(8)}`);
  }
  return loose;
}

let workDir: string;
const umaskBefore = process.umask();

beforeEach(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), "repokeys-embedded-dir-"));
  process.umask(0o022);
});

afterEach(async () => {
  process.umask(umaskBefore);
  await rm(workDir, { recursive: true, force: true });
});

it("starts with a data folder, and writes a backup, that no other user can read or write", async () => {
  const dataDir = path.join(workDir, "data");
  const logger = createLogger("silent");
  const settings = apiSettingsFromEnv({ NODE_ENV: "test", DATA_DIR: dataDir });
  const services = await startApiServices({ ...settings, listen: false, deliverWebhooks: false }, logger);
  const adminSocket = await serveAdminCommands(services, { dataDir, masterKeys: undefined, logger });
  try {
    const backup = await runAdminCommand(["backup", "--file", "backup.sql"], {
      services: async () => services,
      stdin: undefined,
      cwd: workDir,
      embedded: { dataDir, masterKeys: undefined },
    });
    expect(backup.exitCode).toBe(0);
    expect((await stat(path.join(workDir, "backup.sql"))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dataDir, "master-keys"))).isFile()).toBe(true);
    expect((await stat(path.join(dataDir, "run", "admin.sock"))).isSocket()).toBe(true);
    expect((await readdir(path.join(dataDir, "pglite", "pg_wal"))).length).toBeGreaterThan(0);
    expect(await openToOthers(dataDir)).toEqual([]);
  } finally {
    await adminSocket?.close();
    await services.keyUsage.close();
    await services.db.close();
  }
});
