export { createWebAuthConfig, signInPath, type WebAuthOptions } from "./auth-config";
export { AuthSecretConfigError, type LoadAuthSecretOptions, loadAuthSecret } from "./auth-secret";
export {
  addressForLimits,
  clientAddressHeader,
  readClientAddress,
  stampClientAddress,
  trustProxyFromEnv,
} from "./client-address";
export {
  fetchVerifiedGitHubProfile,
  gitHubScopes,
  gitHubUserUrl,
  type VerifiedGitHubProfile,
  verifiedPrimaryEmail,
} from "./github-profile";
export { type SignedInUser, verifyPasswordSignIn } from "./password-sign-in";
export { createSessionResolver, type SessionUser, sessionCookieNames } from "./session-cookie";
export { type ConfiguredProvider, type ExternalProvider, externalProvidersFromEnv } from "./sign-in-providers";
export { limitSignIn, type SignInAttempts, SignInRateLimited } from "./sign-in-rate-limit";
