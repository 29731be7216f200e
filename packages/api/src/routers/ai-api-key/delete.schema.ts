import { z } from "zod";
import { apikeyId, deleteRepoAiApiKeyResponse, repoId } from "../../schemas/ai-api-key";

export const deleteAiApiKeyInput = z.strictObject({ repoId, apikeyId });
export type DeleteAiApiKeyInput = z.infer<typeof deleteAiApiKeyInput>;
export const deleteAiApiKeyOutput = deleteRepoAiApiKeyResponse;
