import { AiType, ApiClient, HttpError, type RepoAiApiKeyDTO } from "@repokeys/client";

const client = new ApiClient("https://keys.example.test");
client.setAuthToken("rkt_example");

export async function rename(repoId: string, apikeyId: string): Promise<string> {
  try {
    return (await client.updateRepoAiApiKey(repoId, apikeyId, { name: "Renamed" })).message;
  } catch (error) {
    if (error instanceof HttpError) return `${error.status}: ${error.data.message}`;
    throw error;
  }
}

export const openai: RepoAiApiKeyDTO["aiType"] = AiType.OPENAI;
