// Runs the pinned pnpm on a machine that may have only Node and npm: a matching global pnpm if
// there is one, otherwise `npx pnpm@<pinned>` (fetched once from the npm registry into npm's cache).
// Anything that needs pnpm on PATH (turbo finds the package manager that way) runs through here:
// npx puts the pinned pnpm's bin folder on the child's PATH.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const rootDir = new URL("..", import.meta.url);
const pinned = JSON.parse(readFileSync(new URL("package.json", rootDir), "utf8")).packageManager.split("@")[1];

function pnpmCommand() {
  const local = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  return local.status === 0 && local.stdout.trim() === pinned ? ["pnpm"] : ["npx", "--yes", `pnpm@${pinned}`];
}

const command = pnpmCommand();

/** Runs pnpm with `args` in the checkout's root, inheriting stdio; returns its exit status. */
export function runPnpm(args, env = process.env) {
  const [bin, ...pre] = command;
  const result = spawnSync(bin, [...pre, ...args], { stdio: "inherit", cwd: rootDir, env });
  return result.status ?? 1;
}

/** Runs pnpm with `args` like `runPnpm`; exits the process on failure. */
export function pnpm(args, env = process.env) {
  const status = runPnpm(args, env);
  if (status !== 0) {
    console.error(`\n✖ pnpm ${args.join(" ")} failed (exit ${status}).`);
    process.exit(status);
  }
}

// `node scripts/pnpm.mjs <args>`: the root package.json's scripts run pnpm this way, so `npm run <script>`
// works on a machine without a global pnpm.
if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(runPnpm(process.argv.slice(2)));
