import type { GatewayContext } from "../../context";
import type { VerifyAiApiKeyResponse } from "../../schemas/key-verification";
import type { VerifyAiApiKeyInput } from "./verify.schema";

/** A read with no audit event: it runs once per AI request, and records only a key's last use (KeyVerifier). */
export async function verifyAiApiKeyHandler({
  ctx,
  input,
}: {
  ctx: GatewayContext;
  input: VerifyAiApiKeyInput;
}): Promise<VerifyAiApiKeyResponse> {
  return ctx.services.keyVerifier.verify(input.key, input.secret, ctx.gateway.tokenId);
}
