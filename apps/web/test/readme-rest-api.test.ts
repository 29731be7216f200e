// The README's "Using the REST API" lines, exactly as written there, run by bash against a quickstart-style
// server (the production build on the embedded default, demo account seeded, serving on localhost:3000) while it
// serves; each printed answer must match the comment that follows it in the README.
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { runCommand } from "@repokeys/api/testing/command-process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { checkoutRoot, quickstartDataDir } from "./support/admin-command";
import { freePort } from "./support/app-server";

/** The first `sh` block of the README's "Using the REST API" section. */
function readmeRestLines(): string {
  const readme = readFileSync(path.join(checkoutRoot, "README.md"), "utf8");
  const section = readme.split(/^## /m).find((part) => part.startsWith("Using the REST API\n"));
  const block = section?.match(/^```sh\n([\s\S]*?)^```$/m)?.[1];
  if (!block) throw new Error('README.md has no sh block under "## Using the REST API".');
  return block;
}

/** The README's `# …` answer comments, as patterns: "…" stands for anything, "   ← …" is a remark. */
function expectedAnswers(lines: string): RegExp[] {
  return lines
    .split("\n")
    .filter((line) => line.startsWith("# "))
    .map((line) => line.slice(2).replace(/\s+←.*$/, ""))
    .map((answer) => new RegExp(`^${answer.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replaceAll("…", ".*")}$`));
}

/**
 * The README says localhost:3000. Where the machine allows it, everything runs in a network namespace of its own
 * (`unshare -rn`), whose port 3000 is free whatever else this machine serves; otherwise on this machine's port 3000.
 */
async function isolation(): Promise<string[]> {
  if (spawnSync("unshare", ["-rn", "ip", "link", "set", "lo", "up"]).status === 0) return ["unshare", "-rn"];
  const probe = createServer().listen(3000);
  const [result] = await Promise.race([once(probe, "listening"), once(probe, "error")]);
  probe.close();
  if (result instanceof Error)
    throw new Error("This test needs port 3000 free, or `unshare -rn` (util-linux and iproute2) to get a free one.");
  return [];
}

let dataDir: string;

beforeAll(async () => {
  dataDir = await quickstartDataDir();
});

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it("runs as written while the app serves the embedded database, each answer as the README shows it", async () => {
  const lines = readmeRestLines();
  const prefix = await isolation();
  // A new network namespace starts with its loopback interface down.
  const script = `${prefix.length ? "ip link set lo up" : ""}
(cd apps/web && NODE_ENV=production exec node --import tsx server.ts) >"$DATA_DIR/server.log" 2>&1 &
server=$!
for _ in $(seq 450); do
  curl -s -o /dev/null http://localhost:3000/openapi.json && break
  kill -0 $server 2>/dev/null || { cat "$DATA_DIR/server.log" >&2; exit 90; }
  sleep 0.2
done
echo "--- README ---"
( set -eo pipefail
${lines}
)
status=$?
kill $server
wait $server
exit $status
`;
  // As on a fresh machine where only the quickstart runs: no database URL, keys or other settings from this one.
  // A free metrics port: another test's server may hold the default 9464 outside a network namespace.
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, METRICS_PORT: String(await freePort()) };
  for (const name of ["DATABASE_URL", "MASTER_KEYS", "AUTH_SECRET", "REDIS_URL", "PORT", "HOST", "NODE_ENV"])
    delete env[name];
  const [command = "bash", ...args] = [...prefix, "bash", "-c", script];
  const { stdout, stderr, exitCode } = await runCommand(command, args, { cwd: checkoutRoot, env });
  expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: "" });

  const answers = stdout.split("--- README ---\n")[1]?.trimEnd().split("\n") ?? [];
  const expected = expectedAnswers(lines);
  expect(expected.length).toBeGreaterThanOrEqual(3);
  expect(answers).toHaveLength(expected.length);
  for (const [i, answer] of answers.entries()) expect(answer).toMatch(expected[i]!);
  const [created, , listed] = answers.map((answer) => JSON.parse(answer));
  expect(created).toMatchObject({
    success: true,
    key: expect.stringMatching(/^rk_/),
    secret: expect.stringMatching(/^rks_/),
  });
  expect(listed.apiKeys).toEqual([
    expect.objectContaining({ id: created.id, name: "Updated Production AI Key", key: created.key, deletedAt: null }),
  ]);
}, 300_000);
