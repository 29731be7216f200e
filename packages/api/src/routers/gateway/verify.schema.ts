import type { z } from "zod";
import { verifyAiApiKeyRequest, verifyAiApiKeyResponse } from "../../schemas/key-verification";

export const verifyAiApiKeyInput = verifyAiApiKeyRequest;
export type VerifyAiApiKeyInput = z.infer<typeof verifyAiApiKeyInput>;
export const verifyAiApiKeyOutput = verifyAiApiKeyResponse;
