import { parseAuthorizationHeader } from "@repokeys/auth";
import { TRPCError } from "@trpc/server";
import type { Actor } from "../context";
import { RateLimitedError } from "../errors/rate-limited";
import type { ApiServices } from "../services";

/**
 * The actor behind an `Authorization` header; undefined when there is none (the caller may still have a
 * web session). A header that is present but wrong is a 401 with the reason, never a silent anonymous call.
 * A token over its rate limit is a 429, on REST and tRPC alike.
 */
export async function actorFromAuthorization(
  services: ApiServices,
  header: string | undefined,
): Promise<Actor | undefined> {
  const credential = parseAuthorizationHeader(header);
  if (credential.kind === "none") return undefined;
  if (credential.kind === "malformed") {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "The Authorization header must be `Bearer <token>`." });
  }
  const holder = await services.bearerTokens.verify(credential.token);
  if (!holder) {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message:
        "The API token is unknown, revoked or expired. Create a new one on the API tokens page or with `admin token create`.",
    });
  }
  // Counted by the token's id (never the token), after verification so that made-up tokens cannot fill the store.
  const verdict = await services.rateLimits.rest.consume(holder.tokenId);
  if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds, services.rateLimits.rest.description);
  return { userId: holder.userId, email: holder.email, name: holder.name };
}
