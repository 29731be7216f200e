import { assertTargetHasNoTables, connectDatabase, copyDatabase, dropWhatTheMoveMade, migrate } from "@repokeys/db";
import type { ApiServices } from "../services";
import { type EmbeddedInstallation, secretsToKeep } from "./embedded-backup";
import { OperatorError } from "./operator-actions";

function redacted(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password) url.password = "***";
  return url.toString();
}

/**
 * `admin move-to-postgres`: everything in the embedded database (read in one consistent snapshot, also while the
 * app serves) into a PostgreSQL database with no tables, which is migrated to this version first; then verified
 * table by table. A failed move leaves the target as it found it. Says where the MASTER_KEYS and AUTH_SECRET values the new deployment must run with are, not the values.
 */
export async function moveToPostgres(services: ApiServices, installation: EmbeddedInstallation, databaseUrl: string) {
  let parsed: URL;
  try {
    parsed = new URL(databaseUrl);
  } catch {
    throw new OperatorError("--database-url must be a URL such as postgresql://user:password@host:5432/database.");
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new OperatorError("--database-url must be a postgresql:// URL.");
  const target = await connectDatabase({ databaseUrl, poolMax: 1 });
  try {
    const before = await assertTargetHasNoTables(target.sql);
    let tables: Awaited<ReturnType<typeof copyDatabase>>;
    try {
      await migrate(target);
      tables = await copyDatabase(services.db, target);
    } catch (err) {
      await dropWhatTheMoveMade(target, before);
      throw err;
    }
    const keep = secretsToKeep(installation);
    return {
      target: redacted(databaseUrl),
      verified: true,
      tables,
      startTheNewDeploymentWith: {
        DATABASE_URL: "the --database-url you gave",
        MASTER_KEYS: keep.MASTER_KEYS,
        AUTH_SECRET: keep.AUTH_SECRET,
      },
    };
  } finally {
    await target.close();
  }
}
