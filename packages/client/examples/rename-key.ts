// Renames an AI API key through the REST API.
//   tsx examples/rename-key.ts <repoId> <apikeyId> <new name>
// or set REPO_ID, APIKEY_ID, NAME. REPOKEYS_URL (default http://localhost:3000) and REPOKEYS_TOKEN are read from the env.
import { ApiClient, HttpError } from "@repokeys/client";

const [repoId = process.env.REPO_ID, apikeyId = process.env.APIKEY_ID, name = process.env.NAME] = process.argv.slice(2);
const token = process.env.REPOKEYS_TOKEN;
if (!repoId || !apikeyId || !name || !token) {
  console.error(
    "usage: REPOKEYS_TOKEN=<api token> [REPOKEYS_URL=<url>] tsx examples/rename-key.ts <repoId> <apikeyId> <name>",
  );
  process.exit(2);
}

const client = new ApiClient(process.env.REPOKEYS_URL);
client.setAuthToken(token);
try {
  const result = await client.updateRepoAiApiKey(repoId, apikeyId, { name });
  const renamed = (await client.getRepoAiApiKeys(repoId)).apiKeys.find((key) => key.id === apikeyId);
  console.log(JSON.stringify({ ...result, apiKey: renamed }, null, 2));
} catch (error) {
  if (!(error instanceof HttpError)) throw error;
  // e.g. "404: API key not found" — the server's message says what to fix.
  console.error(`${error.status}: ${error.data.message}`);
  process.exit(1);
}
