import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadMasterKeyring } from "@repokeys/crypto";
import { connectDatabase, migrate, seedDemo } from "@repokeys/db";

export const checkoutRoot = path.resolve(import.meta.dirname, "../../../..");

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** `npm run --silent admin -- …` in the checkout's root, as the README tells an operator to type it. */
export async function npmRunAdmin(dataDir: string, args: string[], stdin?: string): Promise<CommandResult> {
  const child = spawn("npm", ["run", "--silent", "admin", "--", ...args], {
    cwd: checkoutRoot,
    env: { ...process.env, DATABASE_URL: "", MASTER_KEYS: "", DATA_DIR: dataDir },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  child.stdin.end(stdin);
  const [exitCode] = await once(child, "exit");
  return { stdout, stderr, exitCode: exitCode as number };
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
