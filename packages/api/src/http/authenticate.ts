import { parseAuthorizationHeader } from "@repokeys/auth";
import { TRPCError } from "@trpc/server";
import type { Actor } from "../context";
import type { ApiServices } from "../services";

/**
 * The actor behind an `Authorization` header, with the token's id (what rate limits count by); undefined
 * when there is none (the caller may still have a web session). A header that is present but wrong is a 401 with the reason, never a silent anonymous call.
 */
export async function actorFromAuthorization(
  services: ApiServices,
  header: string | undefined,
): Promise<(Actor & { tokenId: string }) | undefined> {
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
  return { userId: holder.userId, email: holder.email, name: holder.name, tokenId: holder.tokenId };
}
