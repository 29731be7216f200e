import { repokeysTestConfig } from "@repokeys/vitest-config";

export default repokeysTestConfig(import.meta.dirname, {
  // A real production server and a real browser on 2 shared cores.
  test: { include: ["test/**/*.test.ts"], hookTimeout: 180_000 },
});
