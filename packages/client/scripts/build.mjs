// Builds dist/: ESM, CJS and declarations for both.
// src/contract.ts derives its types from the server's zod schemas; published declarations must not need the
// server or zod, so the build stages src/ with contract.ts replaced by those types written out in full.
import { cp, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "tsup";
import { expandedContract } from "./expand-contract.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const staged = `${root}.build/`;

await rm(staged, { recursive: true, force: true });
await cp(`${root}src`, staged, { recursive: true });
await writeFile(`${staged}contract.ts`, expandedContract(root));
try {
  await build({
    entry: { index: `${staged}index.ts` },
    outDir: `${root}dist`,
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    target: "es2022",
    platform: "neutral",
    silent: true,
  });
} finally {
  await rm(staged, { recursive: true, force: true });
}
