// Plain JavaScript: vitest loads config imports from node_modules with Node itself, which does not run TypeScript.
import path from "node:path";
import { defineConfig, mergeConfig } from "vitest/config";

const checkoutRoot = path.resolve(import.meta.dirname, "../..");

/**
 * The shared test settings: generous timeouts (tests start real databases and servers on 2 shared cores),
 * and a JSON report per package that `npm run test:all` totals into one closing line. `overrides` adds a
 * package's own settings.
 *
 * @param {string} packageDir
 * @param {import("vitest/config").UserConfig} [overrides]
 */
export function repokeysTestConfig(packageDir, overrides = {}) {
  const shared = defineConfig({
    test: {
      testTimeout: 60_000,
      hookTimeout: 120_000,
      reporters: ["default", "json"],
      outputFile: { json: path.join(checkoutRoot, "test-artifacts/vitest", `${path.basename(packageDir)}.json`) },
    },
  });
  return mergeConfig(shared, overrides);
}
