import { z } from "zod";
import { displayText, entityId, successMessage } from "./common";

/** The AI providers a key can be for, as in Flashback's `AiType`. */
export const aiTypes = ["OPENAI", "GOOGLE", "ANTHROPIC", "AWS", "OTHER"] as const;
export const aiType = z.enum(aiTypes, { error: `aiType must be one of ${aiTypes.join(", ")}.` });
export type AiType = z.infer<typeof aiType>;

export const aiApiKeyNameMaxLength = 100;
export const aiApiKeyName = displayText("Name", aiApiKeyNameMaxLength);

export const repoId = entityId("repoId");
export const apikeyId = entityId("apikeyId");

/** A key as lists show it: the public half only, never the secret. */
export const repoAiApiKeyDto = z.object({
  id: z.string(),
  name: z.string(),
  repoId: z.string(),
  key: z.string().nullable(),
  aiType,
  createdAt: z.string().describe("ISO 8601"),
  deletedAt: z.string().nullable().describe("ISO 8601"),
});
export type RepoAiApiKeyDto = z.infer<typeof repoAiApiKeyDto>;

export const createRepoAiApiKeyRequest = z.strictObject({ name: aiApiKeyName, aiType });
export const createRepoAiApiKeyResponse = z.object({
  success: z.literal(true),
  id: z.string(),
  key: z.string(),
  secret: z.string().describe("Shown in this response only; it cannot be read again."),
  message: z.string().optional(),
});

export const getRepoAiApiKeysResponse = z.object({
  success: z.literal(true),
  apiKeys: z.array(repoAiApiKeyDto),
});

/** Fields a key's holder might try to change but never can: the key and secret are fixed for its life. */
const fixedFields = ["id", "key", "secret", "aiType", "repoId", "apikeyId", "createdAt", "deletedAt"];

export const updateRepoAiApiKeyRequest = z.strictObject(
  { name: aiApiKeyName.optional() },
  {
    error: (issue) => {
      if (issue.code !== "unrecognized_keys") return undefined;
      const fixed = issue.keys.filter((key) => fixedFields.includes(key));
      return fixed.length > 0
        ? `${fixed.join(", ")} cannot be modified: only the name of a key can change. ` +
            "The key and secret are fixed; to rotate, create a new key, switch your apps to it, then delete this one."
        : `Unknown field(s) ${issue.keys.join(", ")}: the only field that can be updated is name.`;
    },
  },
);
export const updateRepoAiApiKeyResponse = successMessage;
export const deleteRepoAiApiKeyResponse = successMessage;
