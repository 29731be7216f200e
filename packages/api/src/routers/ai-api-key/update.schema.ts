import type { z } from "zod";
import {
  aiApiKeyVersion,
  apikeyId,
  repoId,
  updateRepoAiApiKeyRequest,
  updateRepoAiApiKeyResponse,
} from "../../schemas/ai-api-key";

export const updateAiApiKeyInput = updateRepoAiApiKeyRequest.extend({
  repoId,
  apikeyId,
  expectedVersion: aiApiKeyVersion
    .optional()
    .describe(
      "Rename only if the key's `version` is still this one (else PRECONDITION_FAILED with the current name); over REST, the `If-Match` header does the same",
    ),
});
export type UpdateAiApiKeyInput = z.infer<typeof updateAiApiKeyInput>;
export const updateAiApiKeyOutput = updateRepoAiApiKeyResponse;
