export { type BearerCredential, parseAuthorizationHeader } from "./authorization-header";
export { BearerTokenVerifier, type BearerTokenVerifierOptions, type TokenHolder } from "./bearer-token-verifier";
export { stampClientAddress } from "./web/client-address";
