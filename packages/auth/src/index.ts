export { canonicalEmail, isCanonicalExternalEmail } from "./account-email";
export { type BearerCredential, parseAuthorizationHeader } from "./authorization-header";
export { BearerTokenVerifier, type BearerTokenVerifierOptions, type TokenHolder } from "./bearer-token-verifier";
export type { ExternalAccount, ExternalAccounts, ExternalProfile } from "./external-accounts";
export { type GatewayHolder, GatewayTokenVerifier, type GatewayTokenVerifierOptions } from "./gateway-token-verifier";
export {
  announcedCte,
  announceInvalidation,
  InvalidationFeed,
  type InvalidationKind,
  invalidationChannel,
} from "./invalidation-feed";
export { type Revocable, RevocableCache, type RevocableCacheOptions } from "./revocable-cache";
export { SessionVersions, type SessionVersionsOptions } from "./session-versions";
export { stampClientAddress } from "./web/client-address";
