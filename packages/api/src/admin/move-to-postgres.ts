import { connectDatabase, copyDatabase, migrate } from "@repokeys/db";
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
 * app serves) into an empty PostgreSQL database, which is migrated to this version first; then verified table by
 * table. Says where the MASTER_KEYS and AUTH_SECRET values the new deployment must run with are, not the values.
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
    // Anything there that is not ours (tables of another application) makes it not empty, before we add a thing.
    const [foreign] = await target.sql.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'
       AND NOT EXISTS (SELECT FROM pg_tables WHERE schemaname = 'public' AND tablename = '_prisma_migrations') LIMIT 1`,
    );
    if (foreign)
      throw new OperatorError(
        `The target database is not empty (it has a table ${foreign.name}); move only into an empty database.`,
      );
    await migrate(target);
    const tables = await copyDatabase(services.db, target);
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
