import { sha256, tokenDisplayPrefix } from "@repokeys/crypto";
import { recordSystemEventCte } from "../../audit/system-event";
import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import { maxActiveApiTokensPerUser } from "../../schemas/api-token";
import type { CreateApiTokenInput } from "./create.schema";
import { type ApiTokenRow, apiTokenReturning, apiTokenValuesJson, toApiTokenDto } from "./token-dto";

/**
 * One statement: check the caller's active tokens are under the cap, store the token's hash, record the event
 * (personal: no workspace, seen only by the token's owner).
 */
const createStatement = `
  WITH live AS (
    SELECT count(*)::int AS n FROM "ApiToken"
    WHERE "userId" = $1 AND "revokedAt" IS NULL AND ("expiresAt" IS NULL OR "expiresAt" > now())),
  created AS (
    INSERT INTO "ApiToken" ("userId", name, prefix, "tokenHash", "expiresAt")
    SELECT $1, $2, $3, $4, now() + make_interval(days => $5::int)
    FROM live WHERE live.n < $6
    RETURNING ${apiTokenReturning}),
  ${recordSystemEventCte({
    context: "apikey",
    event: "created",
    source: "created",
    contextId: "created.id",
    workspaceId: "NULL",
    userId: "$1",
    jsonData: `jsonb_build_object('before', NULL, 'after', ${apiTokenValuesJson("created")})`,
    viaParam: "$7",
  })}
  SELECT created.* FROM created`;

/** A personal token for the REST API: only its hash is stored, so this response is the one chance to copy it. */
export async function createApiTokenHandler({ ctx, input }: { ctx: AuthedContext; input: CreateApiTokenInput }) {
  const token = ctx.services.credentials.mint("apiToken");
  const [created] = await ctx.services.db.sql.query<ApiTokenRow>(createStatement, [
    ctx.actor.userId,
    input.name,
    tokenDisplayPrefix(token),
    sha256(token),
    // make_interval(days => NULL) is NULL: no expiry.
    input.expiresInDays ?? null,
    maxActiveApiTokensPerUser,
    ctx.channel,
  ]);
  if (!created) throw domainErrors.tooManyApiTokens(maxActiveApiTokensPerUser);
  return { token, apiToken: toApiTokenDto(created) };
}
