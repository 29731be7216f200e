import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "@repokeys/api/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ApiClient } from "../src";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));

let h: Harness;
let ws: WorkspaceFixture;

beforeAll(async () => {
  h = await startHarness();
  ws = await createWorkspaceFixture(h.services);
});
afterAll(() => h.close());

function renameKey(args: string[]) {
  return run(`${root}node_modules/.bin/tsx`, ["examples/rename-key.ts", ...args], {
    cwd: root,
    env: { ...process.env, REPOKEYS_URL: h.baseUrl, REPOKEYS_TOKEN: ws.MEMBER.token },
  });
}

it("examples/rename-key.ts renames a key and prints the result", async () => {
  const client = new ApiClient(h.baseUrl);
  client.setAuthToken(ws.MEMBER.token);
  const key = await client.createRepoAiApiKey(ws.repo.id, { name: "Before", aiType: "GOOGLE" });

  const { stdout } = await renameKey([ws.repo.id, key.id, "After"]);
  expect(JSON.parse(stdout)).toMatchObject({
    success: true,
    message: "AI API key updated successfully",
    apiKey: { id: key.id, name: "After", key: key.key },
  });
});

it("examples/rename-key.ts reports the server's message and exits 1 on an error", async () => {
  const failed = await renameKey([ws.repo.id, "no-such-key", "After"]).catch((error) => error);
  expect(failed.code).toBe(1);
  expect(failed.stderr).toMatch(/^404: API key not found/);
});
