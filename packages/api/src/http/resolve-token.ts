import type { CheckedKind } from "@repokeys/crypto";
import { RateLimitedError } from "../errors/rate-limited";
import { hashed } from "../rate-limit/rate-limits";
import type { ApiServices } from "../services";

/** What BearerTokenVerifier and GatewayTokenVerifier both answer. */
export interface TokenSource<Holder> {
  /** The holder, `null` for a token known to match nothing, `undefined` when only the database can tell. */
  cached(token: string): Holder | null | undefined;
  /** Whether this process knows the token was issued, without a query. */
  wasIssued(token: string): boolean;
  verify(token: string): Promise<Holder | null>;
}

/**
 * A presented token's holder, or null when it matches nothing, at the least cost it can be told:
 * - from this instance's caches (a known holder, or a token that matched nothing a moment ago): no query;
 * - a token whose check part is wrong was never minted: null, with no query and no one's budget spent;
 * - one we know we minted (right check part, or an old-format token known to be issued) is always looked up,
 *   even from an address past its limit, so that a stranger behind the same address cannot lock it out;
 * - an old-format token this instance does not know costs a lookup that is counted against the client's
 *   address before it is made (so that lookups racing each other cannot all pass the limit) and given back
 *   when the token is live; past the limit, a 429 and no lookup.
 */
export async function resolveToken<Holder>(
  services: ApiServices,
  source: TokenSource<Holder>,
  kind: CheckedKind,
  token: string,
  clientAddress: string,
): Promise<Holder | null> {
  const known = source.cached(token);
  if (known !== undefined) return known;
  const form = services.credentials.form(kind, token);
  if (form === "forged") return null;
  const { unknownTokens } = services.rateLimits;
  // Hashed once, and only here: a cached or made-up token, the common cases, cost no digest of the address.
  const address = hashed(clientAddress);
  if (form === "checked" || source.wasIssued(token)) {
    const holder = await source.verify(token);
    // A revoked or expired token still counts as unknown for its address, but is never refused for it.
    if (!holder) await unknownTokens.consume(address);
    return holder;
  }
  const verdict = await unknownTokens.consume(address);
  if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds, unknownTokens.description);
  const holder = await source.verify(token);
  if (holder) await unknownTokens.reward(address);
  return holder;
}
