// Runs the pinned pnpm on a machine that may have only Node and npm: a matching global pnpm if
// there is one, otherwise `npx pnpm@<pinned>` (fetched once from the npm registry into npm's cache).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const rootDir = new URL("..", import.meta.url);
const pinned = JSON.parse(readFileSync(new URL("package.json", rootDir), "utf8")).packageManager.split("@")[1];

function pnpmCommand() {
  const local = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  return local.status === 0 && local.stdout.trim() === pinned ? ["pnpm"] : ["npx", "--yes", `pnpm@${pinned}`];
}

const command = pnpmCommand();

/** Runs pnpm with `args` in the checkout's root, inheriting stdio; exits the process on failure. */
export function pnpm(args, env = process.env) {
  const [bin, ...pre] = command;
  const result = spawnSync(bin, [...pre, ...args], { stdio: "inherit", cwd: rootDir, env });
  if (result.status !== 0) {
    console.error(`\n✖ pnpm ${args.join(" ")} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}
