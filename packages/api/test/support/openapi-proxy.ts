import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./free-port";

export interface OpenApiProxy {
  /** Send requests here instead of to the server. */
  url: string;
  close(): Promise<void>;
}

/**
 * Stoplight Prism (a maintained OpenAPI tool nobody here wrote) in proxy mode in front of `upstream`, with
 * the document the server publishes at /openapi.json: every answer passes through its validator, which
 * names each place an answer differs from the document in an `sl-violations` header, which `api()` (our
 * test client) turns into a failure of the test that received the answer.
 */
export async function startOpenApiProxy(upstream: string): Promise<OpenApiProxy> {
  const documentResponse = await fetch(`${upstream}/openapi.json`);
  if (!documentResponse.ok) throw new Error(`GET /openapi.json answered ${documentResponse.status}`);
  const folder = await mkdtemp(path.join(tmpdir(), "repokeys-prism-"));
  const documentPath = path.join(folder, "openapi.json");
  await writeFile(documentPath, await documentResponse.text());

  const port = await freePort();
  const prismPackage = createRequire(import.meta.url).resolve("@stoplight/prism-cli/package.json");
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(path.dirname(prismPackage), "dist/index.js"),
      "proxy",
      documentPath,
      upstream,
      "-h",
      "127.0.0.1",
      "-p",
      String(port),
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const listening = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Prism is listening")) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`Prism exited with ${code} before listening:\n${output}`)));
  });
  const timeout = setTimeout(() => child.kill(), 60_000);
  await listening.finally(() => clearTimeout(timeout));

  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      if (child.exitCode === null) {
        child.kill();
        await once(child, "exit");
      }
      await rm(folder, { recursive: true, force: true });
    },
  };
}
