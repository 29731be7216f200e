import type { z } from "zod";
import { apikeyId, repoId, updateRepoAiApiKeyRequest, updateRepoAiApiKeyResponse } from "../../schemas/ai-api-key";

export const updateAiApiKeyInput = updateRepoAiApiKeyRequest.extend({ repoId, apikeyId });
export type UpdateAiApiKeyInput = z.infer<typeof updateAiApiKeyInput>;
export const updateAiApiKeyOutput = updateRepoAiApiKeyResponse;
