import { parseAuthorizationHeader } from "@repokeys/auth";
import { TRPCError } from "@trpc/server";
import type { Actor, Credential } from "../context";
import { RateLimitedError } from "../errors/rate-limited";
import { hashed } from "../rate-limit/rate-limits";
import type { ApiServices } from "../services";

const unknownToken = () =>
  new TRPCError({
    code: "UNAUTHORIZED",
    message:
      "The API token is unknown, revoked or expired. Create a new one on the API tokens page or with `admin token create`.",
  });

/**
 * The actor behind an `Authorization` header; undefined when there is none (the caller may still have a
 * web session). A header that is present but wrong is a 401 with the reason, never a silent anonymous call.
 * Unknown tokens cost a database lookup each, so each one counts against the client's address, and an
 * address past that limit gets a 429 without a lookup (a token this instance already knows still works).
 * Calls are rate-limited per token by the procedures themselves (trpc.ts), so that a batch counts per call.
 */
export async function actorFromAuthorization(
  services: ApiServices,
  header: string | undefined,
  clientAddress: string,
): Promise<{ actor: Actor; credential: Credential } | undefined> {
  const credential = parseAuthorizationHeader(header);
  if (credential.kind === "none") return undefined;
  if (credential.kind === "malformed") {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "The Authorization header must be `Bearer <token>`." });
  }
  const { bearerTokens, rateLimits } = services;
  // The address is hashed only when an unknown token is counted: a cached token, the common case, costs no
  // digest.
  let holder = bearerTokens.cached(credential.token);
  if (holder === undefined) {
    const verdict = await rateLimits.unknownTokens.peek(hashed(clientAddress));
    if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds, rateLimits.unknownTokens.description);
    holder = await bearerTokens.verify(credential.token);
  }
  if (!holder) {
    await rateLimits.unknownTokens.consume(hashed(clientAddress));
    throw unknownToken();
  }
  return {
    actor: { userId: holder.userId, email: holder.email, name: holder.name },
    credential: { kind: "token", tokenId: holder.tokenId },
  };
}
