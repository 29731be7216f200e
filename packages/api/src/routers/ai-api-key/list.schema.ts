import { z } from "zod";
import { keyPageRequest, listRepoAiApiKeysResponse, repoId } from "../../schemas/ai-api-key";
import { keyListInclude, keysUsage } from "../../schemas/key-usage";

export const listAiApiKeysInput = z.strictObject({ repoId, ...keyPageRequest, include: keyListInclude });
export type ListAiApiKeysInput = z.infer<typeof listAiApiKeysInput>;
export const listAiApiKeysOutput = listRepoAiApiKeysResponse.extend({
  usage: keysUsage.optional().describe("Only with include=usage"),
});
export type ListAiApiKeysOutput = z.infer<typeof listAiApiKeysOutput>;
