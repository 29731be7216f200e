import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "@repokeys/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const tsc = `${root}node_modules/.bin/tsc`;

let h: Harness;
let ws: WorkspaceFixture;

beforeAll(async () => {
  // Turbo builds before testing; run directly, a missing or stale dist/ would test yesterday's code.
  const built = await stat(`${root}dist/index.js`).catch(() => undefined);
  const sources = await Promise.all(
    [
      "src/client.ts",
      "src/contract.ts",
      "src/http-error.ts",
      "src/ai-type.ts",
      "src/index.ts",
      "scripts/build.mjs",
    ].map((file) => stat(`${root}${file}`)),
  );
  if (!built || sources.some((source) => source.mtimeMs > built.mtimeMs)) {
    throw new Error("dist/ is missing or older than src/: run `pnpm --filter @repokeys/client build` first.");
  }
  h = await startHarness();
  ws = await createWorkspaceFixture(h.services);
});
afterAll(() => h?.close());

/** Runs a script in a fresh Node process inside the package, so `@repokeys/client` resolves through `exports`. */
async function node(args: string[], script: string) {
  const { stdout } = await run(process.execPath, [...args, script], {
    cwd: root,
    env: { ...process.env, BASE_URL: h.baseUrl, TOKEN: ws.MEMBER.token, REPO_ID: ws.repo.id },
  });
  return JSON.parse(stdout);
}

const roundTrip = `
  const client = new ApiClient(process.env.BASE_URL);
  client.setAuthToken(process.env.TOKEN);
  const created = await client.createRepoAiApiKey(process.env.REPO_ID, { name: "from dist", aiType: AiType.AWS });
  const listed = await client.getRepoAiApiKeys(process.env.REPO_ID);
  const failed = await new ApiClient(process.env.BASE_URL).getRepoAiApiKeys(process.env.REPO_ID).catch((e) => e);
  console.log(JSON.stringify({
    listed: listed.apiKeys.some((k) => k.id === created.id && k.aiType === "AWS"),
    error: failed instanceof HttpError && failed.status,
  }));
`;

describe("the built package", () => {
  it("loads as ESM and talks to the server", async () => {
    const out = await node(
      ["--input-type=module", "-e"],
      `import { AiType, ApiClient, HttpError } from "@repokeys/client";\n${roundTrip}`,
    );
    expect(out).toEqual({ listed: true, error: 401 });
  });

  it("loads as CommonJS and talks to the server", async () => {
    const out = await node(
      ["--input-type=commonjs", "-e"],
      `const { AiType, ApiClient, HttpError } = require("@repokeys/client");\n(async () => {${roundTrip}})();`,
    );
    expect(out).toEqual({ listed: true, error: 401 });
  });

  it("has no runtime dependencies and imports nothing", async () => {
    const manifest = JSON.parse(await readFile(`${root}package.json`, "utf8"));
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.peerDependencies).toBeUndefined();
    expect(await readFile(`${root}dist/index.js`, "utf8")).not.toMatch(/^\s*import\b|\bfrom\s*["']/m);
    expect(await readFile(`${root}dist/index.cjs`, "utf8")).not.toMatch(/\brequire\(/);
  });

  it("ships declarations that compile for ESM and CJS consumers without the monorepo", async () => {
    await run(tsc, ["-p", "test/consumer/tsconfig.json"], { cwd: root });
    for (const file of ["dist/index.d.ts", "dist/index.d.cts"]) {
      expect(await readFile(`${root}${file}`, "utf8")).not.toMatch(/@repokeys\/api|from ["']zod["']/);
    }
  });

  it("ships declarations equal to the types derived from the server's zod schemas", async () => {
    await run(tsc, ["-p", "test/consumer/tsconfig.matches-source.json"], { cwd: root });
  });
});
