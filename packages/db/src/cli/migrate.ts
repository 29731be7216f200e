import { connectFromSettings, databaseSettingsFromEnv } from "../database-from-env";
import { migrate } from "../migrate";

const db = await connectFromSettings(databaseSettingsFromEnv());
try {
  const applied = await migrate(db);
  console.log(
    applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Database is up to date.",
  );
} finally {
  await db.close();
}
