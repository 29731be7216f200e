import path from "node:path";
import { type CommandResult, runCommand } from "../../src/testing/command-process";

const packageDir = path.resolve(import.meta.dirname, "../..");

/**
 * The admin command line in its own process on the embedded database in `dataDir`, as an operator runs it
 * (`npm run admin` is `node --import tsx` of the same file; apps/web's tests run it through npm as typed).
 */
export function runAdmin(
  dataDir: string,
  args: readonly string[],
  { masterKeys, stdin }: { masterKeys: string; stdin?: string },
): Promise<CommandResult> {
  return runCommand(process.execPath, ["--import", "tsx", "src/cli/admin.ts", ...args], {
    cwd: packageDir,
    env: { ...process.env, DATABASE_URL: "", TEST_DATABASE_URL: "", DATA_DIR: dataDir, MASTER_KEYS: masterKeys },
    stdin,
  });
}
