import type { AiType as AiTypeName } from "./contract";

/**
 * The providers as values, for code written against Flashback's `AiType` enum (`AiType.OPENAI`).
 * `satisfies` ties it to the server's schema: a provider added or removed there fails the typecheck here.
 */
export const AiType = {
  OPENAI: "OPENAI",
  GOOGLE: "GOOGLE",
  ANTHROPIC: "ANTHROPIC",
  AWS: "AWS",
  OTHER: "OTHER",
} as const satisfies { readonly [Name in AiTypeName]: Name };
export type AiType = AiTypeName;
