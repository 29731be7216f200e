import path from "node:path";
import { defineConfig } from "vitest/config";

const checkoutRoot = path.resolve(import.meta.dirname, "../..");

/**
 * The shared test settings: generous timeouts (tests start real databases and servers on 2 shared cores),
 * and a JSON report per package that `npm run test:all` totals into one closing line.
 */
export function repokeysTestConfig(packageDir: string) {
  return defineConfig({
    test: {
      testTimeout: 60_000,
      hookTimeout: 120_000,
      reporters: ["default", "json"],
      outputFile: { json: path.join(checkoutRoot, "test-artifacts/vitest", `${path.basename(packageDir)}.json`) },
    },
  });
}
