import { repokeysTestConfig } from "@repokeys/vitest-config";

export default repokeysTestConfig(
  import.meta.dirname,
  {},
  {
    databaseIndependent: ["test/**"],
  },
);
