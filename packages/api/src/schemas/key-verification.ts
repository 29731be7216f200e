import { z } from "zod";
import { aiType } from "./ai-api-key";
import { storableText } from "./common";

/** What a gateway sends: the pair an app presented. Bounded here; anything we issue is far shorter. */
export const verifyAiApiKeyRequest = z.strictObject({
  key: storableText("key").max(200, "key is too long to be an API key."),
  secret: storableText("secret").max(200, "secret is too long to be an API key secret."),
});

export const verifyAiApiKeyResponse = z.discriminatedUnion("valid", [
  z.object({
    valid: z.literal(true),
    apikeyId: z.string(),
    repoId: z.string(),
    workspaceId: z.string(),
    aiType,
    name: z.string(),
  }),
  z.object({
    valid: z.literal(false),
    code: z
      .enum(["INVALID", "EXPIRED"])
      .describe(
        "INVALID: unknown key, wrong secret or deleted key (indistinguishable). EXPIRED: the right secret, past its expiry or rotation grace period.",
      ),
  }),
]);
export type VerifyAiApiKeyResponse = z.infer<typeof verifyAiApiKeyResponse>;
