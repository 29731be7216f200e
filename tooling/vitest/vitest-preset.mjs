// Plain JavaScript: vitest loads config imports from node_modules with Node itself, which does not run TypeScript.
import path from "node:path";
import { configDefaults, defineConfig, mergeConfig } from "vitest/config";

const checkoutRoot = path.resolve(import.meta.dirname, "../..");

/**
 * The shared test settings: generous timeouts (tests start real databases and servers on 2 shared cores),
 * and a JSON report per package that `npm run test:all` totals into one closing line. `overrides` adds a
 * package's own settings. `databaseIndependent` names the test files that do the same whatever database the
 * run targets (no database, or one of their own): with SKIP_DATABASE_INDEPENDENT_TESTS=1, a second pass over
 * another database (CI's) leaves them out, since they would only repeat themselves.
 *
 * @param {string} packageDir
 * @param {import("vitest/config").UserConfig} [overrides]
 * @param {{ databaseIndependent?: string[] }} [options]
 */
export function repokeysTestConfig(packageDir, overrides = {}, { databaseIndependent = [] } = {}) {
  const skipIndependent = process.env.SKIP_DATABASE_INDEPENDENT_TESTS === "1";
  const shared = defineConfig({
    test: {
      testTimeout: 60_000,
      hookTimeout: 120_000,
      // Test files mostly wait on databases, servers and browsers rather than compute, so three at once
      // finish sooner than vitest's default of one per spare core (one, on 2 cores). TEST_WORKERS overrides it.
      maxWorkers: Number(process.env.TEST_WORKERS) || 3,
      exclude: skipIndependent ? [...configDefaults.exclude, ...databaseIndependent] : configDefaults.exclude,
      passWithNoTests: skipIndependent && databaseIndependent.length > 0,
      reporters: ["default", "json"],
      outputFile: { json: path.join(checkoutRoot, "test-artifacts/vitest", `${path.basename(packageDir)}.json`) },
    },
  });
  return mergeConfig(shared, overrides);
}
