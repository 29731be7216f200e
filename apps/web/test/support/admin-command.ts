import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type CommandResult, runCommand } from "@repokeys/api/testing/command-process";
import { loadMasterKeyring } from "@repokeys/crypto";
import { connectDatabase, migrate, seedDemo } from "@repokeys/db";

export type { CommandResult };

export const checkoutRoot = path.resolve(import.meta.dirname, "../../../..");

/** `npm run --silent admin -- …` in the checkout's root, as the README and docs/admin.md tell an operator to type it. */
export function npmRunAdmin(dataDir: string, args: string[], stdin?: string): Promise<CommandResult> {
  return runCommand("npm", ["run", "--silent", "admin", "--", ...args], {
    cwd: checkoutRoot,
    env: { ...process.env, DATABASE_URL: "", MASTER_KEYS: "", DATA_DIR: dataDir },
    stdin,
  });
}

/** A new embedded data folder as `npm run quickstart` leaves it: migrated, the demo account seeded, its master key made. */
export async function quickstartDataDir(): Promise<string> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "repokeys-quickstart-"));
  const db = await connectDatabase({ dataDir });
  try {
    await migrate(db);
    await seedDemo(db);
  } finally {
    await db.close();
  }
  await loadMasterKeyring({ configured: undefined, embeddedDataDir: dataDir, warn: () => {} });
  return dataDir;
}
