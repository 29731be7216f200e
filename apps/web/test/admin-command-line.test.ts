// The admin command line while the app serves the embedded database (which one process may open): the app
// runs each command for it, and the operator sees exactly what the same command prints with the app stopped.
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type CommandResult, npmRunAdmin, quickstartDataDir } from "./support/admin-command";
import { type AppServer, startAppServer } from "./support/app-server";

type Run = (args: string[], stdin?: string) => Promise<CommandResult>;

/** Every command, a few failures among them; returns what each printed and the token it made. */
async function operatorSession(run: Run) {
  const transcript: (CommandResult & { args: string[] })[] = [];
  const step = async (args: string[], stdin?: string) => {
    const result = await run(args, stdin);
    transcript.push({ args, ...result });
    return result;
  };
  const json = (result: CommandResult) => JSON.parse(result.stdout);
  await step(["workspace", "list"]);
  await step(["repo", "list"]);
  await step(
    ["user", "create", "--email", "ann@example.com", "--name", "Ann", "--password-stdin"],
    "a long password\n",
  );
  const platform = json(await step(["workspace", "create", "--name", "Platform", "--owner", "ann@example.com"])).id;
  const gateway = json(await step(["repo", "create", "--workspace", platform, "--name", "gateway"])).id;
  await step(["repo", "list", "--workspace", platform]);
  await step(["member", "set", "--workspace", platform, "--email", "demo@repokeys.local", "--role", "VIEWER"]);
  await step(["workspace", "list", "--skip", "1", "--take", "1"]);
  const token = (await step(["token", "create", "--email", "ann@example.com", "--name", "ci", "--expires-days", "30"]))
    .stdout;
  await step(["keys", "rotate"]);
  await step(["repo", "create", "--workspace", "no-such-workspace", "--name", "x"]);
  await step(["user", "create", "--email", "ann@example.com", "--name", "Ann", "--password", "another long one"]);
  await step(["repo", "list", "--take", "5000"]);
  await step(["member", "set", "--workspace", platform]);
  await step(["token", "create", "--unknown-option"]);
  return { transcript, token: token.trim(), gateway };
}

/** Ids, tokens and times differ between two databases; each distinct one becomes a numbered placeholder. */
function normalized(transcript: unknown): unknown {
  const seen = new Map<string, string>();
  const text = JSON.stringify(transcript)
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
      if (!seen.has(id)) seen.set(id, `<id ${seen.size + 1}>`);
      return seen.get(id)!;
    })
    .replace(/rkt_[A-Za-z0-9_-]+/g, "<token>")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/g, "<time>");
  return JSON.parse(text);
}

let servingDir: string;
let stoppedDir: string;
let server: AppServer;

beforeAll(async () => {
  [servingDir, stoppedDir] = await Promise.all([quickstartDataDir(), quickstartDataDir()]);
  server = await startAppServer({ DATA_DIR: servingDir });
});

afterAll(async () => {
  await server?.stop();
  await Promise.all([servingDir, stoppedDir].map((dir) => dir && rm(dir, { recursive: true, force: true })));
});

it("gives the same output through the running app as with the app stopped, and the app logs no secret", async () => {
  // The two sessions side by side: their folders are separate, and each is thirty seconds of one core's work.
  const [serving, stopped] = await Promise.all([
    operatorSession((args, stdin) => npmRunAdmin(servingDir, args, stdin)),
    operatorSession((args, stdin) => npmRunAdmin(stoppedDir, args, stdin)),
  ]);
  // The token the app made for the command line is a real one.
  const listed = await fetch(`${server.baseUrl}/repo/${serving.gateway}/ai/apikey`, {
    headers: { authorization: `Bearer ${serving.token}` },
  });
  expect(await listed.json()).toEqual({ success: true, apiKeys: [] });
  const logged = await server.output();
  expect(logged).toContain('"command":"token create"');
  expect(logged).not.toContain(serving.token);
  expect(logged).not.toContain("a long password");
  expect(logged).not.toContain("another long one");

  await server.stop();
  expect(existsSync(path.join(servingDir, "run", "admin.sock"))).toBe(false);

  expect(normalized(serving.transcript)).toEqual(normalized(stopped.transcript));
  // What that output is: results on stdout alone, failures on stderr with their exit codes.
  expect(stopped.transcript.map((step) => step.exitCode)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2]);
  expect(stopped.token).toMatch(/^rkt_[A-Za-z0-9_-]{40,}$/);
  const [workspaces, repos] = stopped.transcript.slice(0, 2).map((step) => JSON.parse(step.stdout));
  expect(workspaces).toMatchObject({ workspaces: [{ name: "Demo workspace", members: 1, repos: 1 }], total: 1 });
  expect(repos).toMatchObject({ repos: [{ name: "demo-repo", workspaceName: "Demo workspace" }], total: 1 });
  expect(stopped.transcript.at(-1)?.stderr).toMatch(/^error: Unknown option '--unknown-option'/);
  for (const step of stopped.transcript) expect(step.exitCode === 0 ? step.stderr : step.stdout).toBe("");
}, 600_000); // thirty commands, each a new Node process (about 7 s each on 2 busy cores)
