import { repokeysTestConfig } from "@repokeys/vitest-config";

export default repokeysTestConfig(
  import.meta.dirname,
  {},
  {
    databaseIndependent: [
      "test/client-address.test.ts",
      "test/github-profile.test.ts",
      "test/sign-in-providers.test.ts",
      "test/sign-in-rate-limit.test.ts",
    ],
  },
);
