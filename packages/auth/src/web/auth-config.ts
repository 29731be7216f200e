import type { AuthConfig } from "@auth/core";
import { CredentialsSignin } from "@auth/core/errors";
import Credentials from "@auth/core/providers/credentials";
import type { Database } from "@repokeys/db";
import { canonicalEmail, isCanonicalExternalEmail } from "../account-email";
import type { ExternalAccounts } from "../external-accounts";
import type { SessionVersions } from "../session-versions";
import { readClientAddress } from "./client-address";
import { verifyPasswordSignIn } from "./password-sign-in";
import { externalProvidersFromEnv } from "./sign-in-providers";
import { limitSignIn, type SignInAttempts } from "./sign-in-rate-limit";

export interface WebAuthOptions {
  secret: string;
  /** The database, asked for at sign-in time (it is opened by the server, after this config is built). */
  database: () => Database;
  /** The sign-in limit, asked for at sign-in time like the database. */
  signInLimit: () => SignInAttempts;
  /** The users' session versions, which sign-out raises to end every session of the user. */
  sessionVersions: () => SessionVersions;
  /** Finds or creates the account of an external sign-in (GitHub, OIDC). */
  externalAccounts: () => ExternalAccounts;
  env?: NodeJS.ProcessEnv;
}

/** The page that signs in and shows sign-in errors. */
export const signInPath = "/sign-in";

/**
 * Auth.js for the web app, framework-free so it lives here with the bearer tokens (the Next app only hands it to
 * `NextAuth`). Sessions are JWTs in an encrypted, httpOnly, SameSite=Lax cookie (`Secure` over https): no session
 * table, so any number of app instances share them through AUTH_SECRET. The token's `sub` is always our User id,
 * and its `sessionVersion` the user's version when it began: signing out raises the version, which ends every
 * session of the user within the version cache's bound (TOKEN_CACHE_TTL_MS), on every instance.
 */
export function createWebAuthConfig({
  secret,
  database,
  signInLimit,
  sessionVersions,
  externalAccounts,
  env = process.env,
}: WebAuthOptions): AuthConfig {
  /** A new session begins with the user's current version. */
  const withSessionVersion = async <T extends { sub: string }>(token: T) => ({
    ...token,
    sessionVersion: await sessionVersions().current(token.sub),
  });

  return {
    secret,
    // The app always sits behind our own server.ts, and usually a proxy: the URL comes from Host / X-Forwarded-*
    // (AUTH_URL pins it when set), and cookies get `Secure` when that URL is https.
    trustHost: true,
    session: { strategy: "jwt", maxAge: 7 * 24 * 60 * 60 },
    pages: { signIn: signInPath, error: signInPath },
    logger: {
      // A wrong password or a rate-limited attempt is an everyday event answered on the page, not a server error
      // worth a stack trace. (By class, not by `name`: a subclass such as SignInRateLimited has a name of its own.)
      error(error) {
        if (!(error instanceof CredentialsSignin)) console.error(error);
      },
    },
    providers: [
      Credentials({
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        // Every password attempt reaches here, from the sign-in page's server action or posted straight to
        // /api/auth/callback/credentials, so this is the one place that counts attempts.
        authorize: (credentials, request) =>
          limitSignIn(
            signInLimit(),
            {
              email: typeof credentials.email === "string" ? credentials.email : "",
              address: readClientAddress(request),
            },
            () => verifyPasswordSignIn(database(), credentials),
          ),
      }),
      ...externalProvidersFromEnv(env).map((p) => p.provider),
    ],
    events: {
      async signOut(message) {
        const userId = "token" in message ? message.token?.sub : undefined;
        if (userId) await sessionVersions().endAll(userId);
      },
    },
    callbacks: {
      // An external account signs in as the user with its email; an identity provider that does not vouch for
      // the email could otherwise hand someone else's account over. OpenID Connect states `email_verified`; the
      // GitHub profile gets it from our userinfo request (verified primary address only, see github-profile).
      // An email that NFKC would change is refused too (account-email.ts). Refused here, Auth.js sends the
      // browser to the sign-in page with AccessDenied.
      signIn({ account, profile }) {
        if (!account || account.type === "credentials") return true;
        if (typeof profile?.email !== "string" || !isCanonicalExternalEmail(profile.email)) return false;
        return profile.email_verified === true;
      },
      async jwt({ token, user, account, profile }) {
        if (account && account.type !== "credentials" && typeof profile?.email === "string") {
          const local = await externalAccounts().signIn({
            email: canonicalEmail(profile.email),
            name: typeof profile.name === "string" ? profile.name : undefined,
          });
          return withSessionVersion({ ...token, sub: local.id, email: local.email, name: local.name });
        }
        if (user?.id) return withSessionVersion({ ...token, sub: user.id, email: user.email, name: user.name });
        // Every later read of the session: null ends it (Auth.js then clears the cookie) once the user signed out.
        return token.sub && (await sessionVersions().isCurrent(token.sub, token.sessionVersion)) ? token : null;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
}
