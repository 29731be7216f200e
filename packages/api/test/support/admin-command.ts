import path from "node:path";
import { runAdminCommandLine } from "../../src/admin/admin-command-line";
import type { AdminCommandOutput } from "../../src/admin/run-admin-command";
import { type CommandResult, runCommand } from "../../src/testing/command-process";

const packageDir = path.resolve(import.meta.dirname, "../..");

const adminEnv = (dataDir: string, masterKeys: string): NodeJS.ProcessEnv => ({
  ...process.env,
  DATABASE_URL: "",
  TEST_DATABASE_URL: "",
  DATA_DIR: dataDir,
  MASTER_KEYS: masterKeys,
  LOG_LEVEL: "warn",
});

/**
 * The admin command line on the embedded database in `dataDir`, in this process: what `npm run admin` runs,
 * less the process around it (which `runAdminProcess` keeps, for the tests of that part).
 */
export async function runAdmin(
  dataDir: string,
  args: readonly string[],
  { masterKeys, stdin }: { masterKeys: string; stdin?: string },
): Promise<AdminCommandOutput> {
  const logged: string[] = [];
  const output = await runAdminCommandLine({
    argv: args,
    env: adminEnv(dataDir, masterKeys),
    cwd: packageDir,
    readStdin: async () => stdin ?? "",
    logTo: { write: (line: string) => logged.push(line) },
  });
  return { ...output, stderr: logged.join("") + output.stderr };
}

/** The admin command line in its own process, as an operator runs it (`npm run admin` is `node --import tsx` of the same file). */
export function runAdminProcess(
  dataDir: string,
  args: readonly string[],
  { masterKeys, stdin }: { masterKeys: string; stdin?: string },
): Promise<CommandResult> {
  return runCommand(process.execPath, ["--import", "tsx", "src/cli/admin.ts", ...args], {
    cwd: packageDir,
    env: adminEnv(dataDir, masterKeys),
    stdin,
  });
}
