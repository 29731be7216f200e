import { parseAuthorizationHeader } from "@repokeys/auth";
import { TRPCError } from "@trpc/server";
import type { Actor, Credential } from "../context";
import type { ApiServices } from "../services";
import { resolveToken } from "./resolve-token";

const unknownToken = () =>
  new TRPCError({
    code: "UNAUTHORIZED",
    message:
      "The API token is unknown, revoked or expired. Create a new one on the API tokens page or with `admin token create`.",
  });

/**
 * The actor behind an `Authorization` header; undefined when there is none (the caller may still have a
 * web session). A header that is present but wrong is a 401 with the reason, never a silent anonymous call.
 * What a token may cost, and when it is refused with a 429, is `resolveToken`'s.
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
  const holder = await resolveToken(services, services.bearerTokens, "apiToken", credential.token, clientAddress);
  if (!holder) throw unknownToken();
  return {
    actor: { userId: holder.userId, email: holder.email, name: holder.name },
    credential: { kind: "token", tokenId: holder.tokenId },
  };
}
