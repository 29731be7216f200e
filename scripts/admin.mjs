// `npm run admin -- <command> …`: the admin command line (packages/api/src/cli/admin.ts) with only Node and npm,
// no global pnpm or tsx. It prints nothing of its own on stdout, so `npm run --silent admin -- …` captures the
// command's result alone.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const apiPackage = new URL("../packages/api/package.json", import.meta.url);
let tsxLoader;
try {
  tsxLoader = createRequire(apiPackage).resolve("tsx");
} catch {
  console.error(
    "✖ The dependencies are not installed: run `npm run quickstart` (or `npx pnpm@10.34.8 install`) first.",
  );
  process.exit(1);
}
// npm runs scripts in the checkout's root; relative paths (DATA_DIR, file arguments) are meant from where the command was typed.
// biome-ignore lint/suspicious/noUndeclaredEnvVars: npm sets it for the script it runs; no turbo task reads it
const typedIn = process.env.INIT_CWD;
if (typedIn) process.chdir(typedIn);
// What `node --import tsx` loads: TypeScript from here on.
await import(pathToFileURL(tsxLoader).href);
// process.argv is [node, this script, ...the command], as the command line expects.
await import(new URL("../packages/api/src/cli/admin.ts", import.meta.url).href);
