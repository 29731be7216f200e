export {
  type ConnectOptions,
  connectDatabase,
  type Database,
  type DatabaseKind,
  type PoolStats,
  type ReadLimits,
  reservedConnections,
} from "./connect";
export { copyDatabase, DatabaseCopyError, type TableCopy, TargetNotEmptyError } from "./copy-database";
export { resolveDataDir } from "./data-dir";
export { connectFromSettings, type DatabaseSettings, databaseSettingsFromEnv } from "./database-from-env";
export { EmbeddedDatabaseInUseError } from "./embedded-lock";
export { DataDirNotEmptyError, restoreEmbeddedDump } from "./embedded-restore";
export type * from "./generated/prisma/client";
export { Prisma, PrismaClient } from "./generated/prisma/client";
export { AiType, WorkspaceRole } from "./generated/prisma/enums";
export type { ListenHandlers } from "./listener";
export { type Migration, MigrationChecksumError, migrate, migrationsDir, readMigrations } from "./migrate";
export { assertTargetHasNoTables, dropWhatTheMoveMade, type TargetBefore } from "./move-target";
export { UntrustedDataDirError } from "./private-data-dir";
export { demoAccount, type SeedResult, seedDemo } from "./seed";
export type { SqlRunner, SqlTransaction } from "./sql";
