// Auth.js for the Next app. The configuration (providers, callbacks, password check) is framework-free and lives in
// @repokeys/auth/web next to the bearer tokens, so the custom server can read the same sessions without Next; only
// this binding to `next-auth` lives here, because next-auth needs Next's request APIs.
import { createWebAuthConfig } from "@repokeys/auth/web";
import NextAuth from "next-auth";
import { services } from "./server/services";

// A function, so nothing is read before server.ts has loaded the secret and opened the database (and `next build`,
// which evaluates this module, needs neither).
export const { handlers, auth, signIn, signOut } = NextAuth(() =>
  createWebAuthConfig({
    secret: process.env.AUTH_SECRET ?? "",
    database: () => services().db,
    signInLimit: () => services().rateLimits.signIn,
    sessionVersions: () => services().sessionVersions,
    externalAccounts: () => services().externalAccounts,
  }),
);
