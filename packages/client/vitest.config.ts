import { repokeysTestConfig } from "@repokeys/vitest-config";

export default repokeysTestConfig(import.meta.dirname, {
  // Type-level tests (*.test-d.ts) fail `vitest run` too, not only `tsc`.
  test: { typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" } },
});
