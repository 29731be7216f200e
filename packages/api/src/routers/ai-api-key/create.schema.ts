import type { z } from "zod";
import { createRepoAiApiKeyRequest, createRepoAiApiKeyResponse, repoId } from "../../schemas/ai-api-key";

export const createAiApiKeyInput = createRepoAiApiKeyRequest.extend({ repoId });
export type CreateAiApiKeyInput = z.infer<typeof createAiApiKeyInput>;
export const createAiApiKeyOutput = createRepoAiApiKeyResponse;
