import { connectFromSettings, databaseSettingsFromEnv } from "../database-from-env";
import { migrate } from "../migrate";
import { demoAccount, seedDemo } from "../seed";

const db = await connectFromSettings(databaseSettingsFromEnv());
try {
  await migrate(db);
  const seeded = await seedDemo(db);
  console.log(
    `Demo data ready: sign in as ${demoAccount.email} / ${demoAccount.password} (repository ${seeded.repoId}).`,
  );
} finally {
  await db.close();
}
