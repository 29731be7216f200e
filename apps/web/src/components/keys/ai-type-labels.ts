import type { AiType } from "@repokeys/api";

/** How each AI type reads in the UI; a `Record` so that a type added to the API fails the typecheck here. */
export const aiTypeLabels: Record<AiType, string> = {
  OPENAI: "OpenAI",
  ANTHROPIC: "Anthropic",
  GOOGLE: "Google",
  AWS: "AWS",
  OTHER: "Other",
};
