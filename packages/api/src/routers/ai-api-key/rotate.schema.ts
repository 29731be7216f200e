import type { z } from "zod";
import { apikeyId, repoId, rotateRepoAiApiKeyRequest, rotateRepoAiApiKeyResponse } from "../../schemas/ai-api-key";

export const rotateAiApiKeyInput = rotateRepoAiApiKeyRequest.extend({ repoId, apikeyId });
export type RotateAiApiKeyInput = z.infer<typeof rotateAiApiKeyInput>;
export const rotateAiApiKeyOutput = rotateRepoAiApiKeyResponse;
