import { repokeysTestConfig } from "@repokeys/vitest-config";

export default repokeysTestConfig(
  import.meta.dirname,
  {
    // A real production server and a real browser on 2 shared cores.
    test: { include: ["test/**/*.test.ts"], hookTimeout: 180_000 },
  },
  {
    databaseIndependent: [
      "test/client-bundle.test.ts",
      "test/safe-return-path.test.ts",
      "test/server-limits.test.ts",
      "test/time-ago.test.ts",
    ],
  },
);
