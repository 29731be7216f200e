import { announcedCte } from "@repokeys/auth";
import { sha256, tokenDisplayPrefix } from "@repokeys/crypto";
import { recordSystemEventCte } from "../audit/system-event";
import { displayText, entityId } from "../schemas/common";
import type { ApiServices } from "../services";
import { OperatorError, type PageInput, page, parse } from "./operator-actions";

/**
 * Gateway tokens, which an operator gives to the AI gateway: they can verify key/secret pairs
 * (POST /ai/apikey/verify) and nothing else. Only the token's SHA-256 is stored; `create` is the one
 * chance to copy it. They belong to no workspace, so only the operator's command line makes them.
 *
 * Creating and revoking one are audit events of the operator's (no user, no workspace, channel `admin`),
 * each written by the statement that makes the change: both are stored or neither is.
 */
const tokenEvent = (event: "created" | "deleted", source: string, before: string, after: string) =>
  recordSystemEventCte({
    context: "gatewaytoken",
    event,
    source,
    contextId: `${source}.id`,
    workspaceId: "NULL",
    userId: "NULL",
    jsonData: `jsonb_build_object('gatewayTokenId', ${source}.id, 'before', ${before}, 'after', ${after})`,
    viaParam: "'admin'",
  });

/** What an event shows of a token: never the token or its hash. */
const tokenValues = (source: string) =>
  `jsonb_build_object('name', ${source}.name, 'prefix', ${source}.prefix, 'revokedAt', ${source}."revokedAt")`;

const returning = `id, name, prefix, "createdAt", "lastUsedAt", "revokedAt"`;

const createStatement = `
  WITH created AS (
    INSERT INTO "GatewayToken" (name, prefix, "tokenHash") VALUES ($1, $2, $3) RETURNING ${returning}),
  ${tokenEvent("created", "created", "NULL", tokenValues("created"))}
  SELECT id FROM created`;

export async function createGatewayToken(services: ApiServices, input: { name: string }): Promise<string> {
  const token = services.credentials.mint("gatewayToken");
  await services.db.sql.query(createStatement, [
    parse(displayText("Name", 100), input.name),
    tokenDisplayPrefix(token),
    sha256(token),
  ]);
  return token;
}

const columns = { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

/** Every gateway token, newest first; at most 1,000 (an installation has a handful). */
export async function listGatewayTokens(services: ApiServices) {
  return services.db.prisma.gatewayToken.findMany({ orderBy: { createdAt: "desc" }, take: 1_000, select: columns });
}

interface GatewayTokenRow extends Record<string, unknown> {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  tokenHash: Uint8Array;
}

/** One statement: revoke the token, record the event and announce it (by its hash) to every instance's cache. */
const revokeStatement = `
  WITH revoked AS (
    UPDATE "GatewayToken" SET "revokedAt" = now() WHERE id = $1 AND "revokedAt" IS NULL
    RETURNING ${returning}, "tokenHash"),
  ${tokenEvent("deleted", "revoked", `jsonb_build_object('name', revoked.name, 'prefix', revoked.prefix, 'revokedAt', NULL)`, tokenValues("revoked"))},
  ${announcedCte("gateway-token", "revoked", `encode(revoked."tokenHash", 'base64')`)}
  SELECT revoked.* FROM revoked, announced`;

/**
 * Revokes a token: at once on this process's cache, and on a running app's as soon as the announcement reaches
 * it (at most `TOKEN_CACHE_TTL_MS` later when its listening connection is down).
 */
export async function revokeGatewayToken(services: ApiServices, input: { id: string }) {
  const id = parse(entityId("id"), input.id);
  const [revoked] = await services.db.sql.query<GatewayTokenRow>(revokeStatement, [id]);
  if (!revoked) throw new OperatorError(`No unrevoked gateway token has the id ${id}.`);
  services.gatewayTokens.forget(Buffer.from(revoked.tokenHash));
  const { tokenHash: _hash, ...shown } = revoked;
  return shown;
}

const eventsStatement = `
  SELECT id::text, timestamp, event, "contextId" AS "gatewayTokenId", via, "jsonData"
  FROM "SystemEvent" WHERE context = 'gatewaytoken' AND "workspaceId" IS NULL
  ORDER BY id DESC LIMIT $1 OFFSET $2`;

/** The gateway token events, newest first, a page at a time (as the other lists, at most `maxListTake`). */
export async function listGatewayTokenEvents(services: ApiServices, input: PageInput = {}) {
  const { skip, take } = parse(page, input);
  return services.db.sql.query(eventsStatement, [take, skip]);
}
