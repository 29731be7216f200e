import { repokeysTestConfig } from "@repokeys/vitest-config";

export default repokeysTestConfig(
  import.meta.dirname,
  {},
  {
    databaseIndependent: [
      "test/openapi-document.test.ts",
      "test/webhook-backoff.test.ts",
      "test/bounded-reads.test.ts",
    ],
  },
);
