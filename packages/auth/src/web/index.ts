export { createWebAuthConfig, signInPath, type WebAuthOptions } from "./auth-config";
export { AuthSecretConfigError, type LoadAuthSecretOptions, loadAuthSecret } from "./auth-secret";
export { type SignedInUser, verifyPasswordSignIn } from "./password-sign-in";
export { createSessionResolver, type SessionUser, sessionCookieNames } from "./session-cookie";
export { type ConfiguredProvider, type ExternalProvider, externalProvidersFromEnv } from "./sign-in-providers";
