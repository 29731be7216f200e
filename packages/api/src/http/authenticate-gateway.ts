import { type GatewayHolder, parseAuthorizationHeader } from "@repokeys/auth";
import { keyPrefixes } from "@repokeys/crypto";
import { TRPCError } from "@trpc/server";
import type { ApiServices } from "../services";
import { resolveToken } from "./resolve-token";

/**
 * The gateway behind an `Authorization` header that carries a gateway token (`rkg_…`); undefined for any
 * other header, which `actorFromAuthorization` then reads as a person's. Each token's verifications are
 * limited per token where they are counted (`gatewayProcedure`). Made-up ones cost what made-up API tokens
 * cost, against the same per-address limit (`resolveToken`).
 */
export async function gatewayFromAuthorization(
  services: ApiServices,
  header: string | undefined,
  clientAddress: string,
): Promise<GatewayHolder | undefined> {
  const credential = parseAuthorizationHeader(header);
  if (credential.kind !== "bearer" || !credential.token.startsWith(keyPrefixes.gatewayToken)) return undefined;
  const holder = await resolveToken(services, services.gatewayTokens, "gatewayToken", credential.token, clientAddress);
  if (!holder) {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message:
        "The gateway token is unknown or revoked. An operator makes a new one with `npm run admin -- gateway-token create --name <name>`.",
    });
  }
  return holder;
}
