import path from "node:path";
import { killAllSync, runToCompletion, stopAll } from "./processes";

/** packages/api, where the admin command line runs. */
export const apiDir = path.resolve(import.meta.dirname, "../../packages/api");

/**
 * What every standalone bench script (one that starts its own database and API, not run.ts) needs around its
 * run: a timestamped log, and cleanups that run once whether it ends, fails or is interrupted, after every
 * process it started is stopped.
 */
export function standaloneBench(name: string) {
  const log = (message: string) => console.log(`[${name} ${new Date().toISOString().slice(11, 19)}] ${message}`);
  const cleanups: Array<() => Promise<void>> = [];
  async function cleanup() {
    await stopAll();
    for (const fn of cleanups.reverse()) await fn().catch((err) => console.error("cleanup:", err));
  }
  process.on("exit", killAllSync);
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => cleanup().finally(() => process.exit(130)));
  return { log, cleanups, cleanup };
}

/** The same server URL, naming another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs the admin command line against `env`'s database; its standard output, trimmed. */
export async function admin(env: Record<string, string>, ...command: string[]): Promise<string> {
  const out = await runToCompletion(process.execPath, ["--import", "tsx", "src/cli/admin.ts", ...command], {
    cwd: apiDir,
    env: { ...process.env, ...env, LOG_LEVEL: "warn" },
  });
  return out.trim();
}
