import { z } from "zod";
import { keyPageRequest, listRepoAiApiKeysResponse, repoId } from "../../schemas/ai-api-key";

export const listAiApiKeysInput = z.strictObject({ repoId, ...keyPageRequest });
export type ListAiApiKeysInput = z.infer<typeof listAiApiKeysInput>;
export const listAiApiKeysOutput = listRepoAiApiKeysResponse;
export type ListAiApiKeysOutput = z.infer<typeof listAiApiKeysOutput>;
