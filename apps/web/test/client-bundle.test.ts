import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

const chunks = path.resolve(import.meta.dirname, "../.next/static/chunks");

/** Every script the browser may load, from the production build the browser tests also use. */
async function browserScripts(): Promise<string[]> {
  const files = await readdir(chunks, { recursive: true });
  return Promise.all(files.filter((f) => f.endsWith(".js")).map((f) => readFile(path.join(chunks, f), "utf8")));
}

describe("the browser bundle", () => {
  it("carries the server's name rules (from @repokeys/api/schemas) and none of the server's code", async () => {
    const scripts = await browserScripts();
    expect(scripts.some((s) => s.includes("must not be empty or only spaces"))).toBe(true);
    for (const serverOnly of ["PrismaClient", "argon2", "pglite", "pino", "rate-limiter-flexible", "MASTER_KEYS"])
      expect(scripts.filter((s) => s.includes(serverOnly)).length, serverOnly).toBe(0);
  });
});
