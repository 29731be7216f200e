import { repokeysTestConfig } from "@repokeys/vitest-config";

export default repokeysTestConfig(
  import.meta.dirname,
  {},
  {
    databaseIndependent: [
      "test/openapi-document.test.ts",
      "test/webhook-backoff.test.ts",
      // Always on PostgreSQL: the configured server, or a cluster of their own (several instances, faults).
      "test/bounded-reads.test.ts",
      "test/conditional-list-race.test.ts",
      "test/conditional-list-scale-out.test.ts",
      "test/embedded-backup.test.ts",
      "test/faults.test.ts",
      "test/instant-revocation.test.ts",
      "test/key-list-bounds.test.ts",
      "test/key-usage-scale-out.test.ts",
      "test/key-verification-scale-out.test.ts",
      "test/scale-out.test.ts",
      "test/webhook-crash.test.ts",
      "test/webhook-endless-answer.test.ts",
      "test/webhook-scale-out.test.ts",
    ],
  },
);
