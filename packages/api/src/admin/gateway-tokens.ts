import { announcedCte } from "@repokeys/auth";
import { sha256, tokenDisplayPrefix } from "@repokeys/crypto";
import { displayText, entityId } from "../schemas/common";
import type { ApiServices } from "../services";
import { OperatorError, parse } from "./operator-actions";

/**
 * Gateway tokens, which an operator gives to the AI gateway: they can verify key/secret pairs
 * (POST /ai/apikey/verify) and nothing else. Only the token's SHA-256 is stored; `create` is the one
 * chance to copy it. They belong to no workspace, so only the operator's command line makes them.
 */
export async function createGatewayToken(services: ApiServices, input: { name: string }): Promise<string> {
  const token = services.credentials.mint("gatewayToken");
  await services.db.prisma.gatewayToken.create({
    data: {
      name: parse(displayText("Name", 100), input.name),
      prefix: tokenDisplayPrefix(token),
      tokenHash: new Uint8Array(sha256(token)),
    },
  });
  return token;
}

const columns = { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

/** Every gateway token, newest first; at most 1,000 (an installation has a handful). */
export async function listGatewayTokens(services: ApiServices) {
  return services.db.prisma.gatewayToken.findMany({ orderBy: { createdAt: "desc" }, take: 1_000, select: columns });
}

/** One statement: revoke the token and announce it (by its hash) to every running instance's cache. */
const revokeStatement = `
  WITH revoked AS (
    UPDATE "GatewayToken" SET "revokedAt" = now() WHERE id = $1 AND "revokedAt" IS NULL
    RETURNING id, name, prefix, "createdAt", "lastUsedAt", "revokedAt", "tokenHash"),
  ${announcedCte("gateway-token", "revoked", `encode(revoked."tokenHash", 'base64')`)}
  SELECT revoked.* FROM revoked, announced`;

/**
 * Revokes a token: at once on this process's cache, and on a running app's as soon as the announcement reaches
 * it (at most `TOKEN_CACHE_TTL_MS` later when its listening connection is down).
 */
export async function revokeGatewayToken(services: ApiServices, input: { id: string }) {
  const id = parse(entityId("id"), input.id);
  const [revoked] = await services.db.sql.query<{
    id: string;
    name: string;
    prefix: string;
    createdAt: Date;
    lastUsedAt: Date | null;
    revokedAt: Date;
    tokenHash: Uint8Array;
  }>(revokeStatement, [id]);
  if (!revoked) throw new OperatorError(`No unrevoked gateway token has the id ${id}.`);
  services.gatewayTokens.forget(Buffer.from(revoked.tokenHash));
  const { tokenHash: _hash, ...shown } = revoked;
  return shown;
}
