import { z } from "zod";
import { getRepoAiApiKeysResponse, repoId } from "../../schemas/ai-api-key";

export const listAiApiKeysInput = z.strictObject({ repoId });
export type ListAiApiKeysInput = z.infer<typeof listAiApiKeysInput>;
export const listAiApiKeysOutput = getRepoAiApiKeysResponse;
export type ListAiApiKeysOutput = z.infer<typeof listAiApiKeysOutput>;
