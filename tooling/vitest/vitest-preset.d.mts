import type { UserConfig } from "vitest/config";

export function repokeysTestConfig(
  packageDir: string,
  overrides?: UserConfig,
  options?: { databaseIndependent?: string[] },
): UserConfig;
