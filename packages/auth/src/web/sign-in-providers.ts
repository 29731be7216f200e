import type { Provider } from "@auth/core/providers";
import GitHub from "@auth/core/providers/github";
import { fetchVerifiedGitHubProfile, gitHubScopes, gitHubUserUrl } from "./github-profile";

/** A provider the sign-in page offers as a button (the password form is always there). */
export interface ExternalProvider {
  id: string;
  name: string;
}

export interface ConfiguredProvider extends ExternalProvider {
  /** Where sign-in sends the browser (the page's form-action policy must allow it). */
  origin: string;
  provider: Provider;
}

/** What Auth.js passes a provider's userinfo request. */
interface GitHubUserinfoContext {
  tokens: { access_token?: string };
  provider: { userinfo?: { url?: URL | string } };
}

/** The scopes asked of the OpenID Connect provider (docs/sign-in.md lists them for administrators). */
const oidcScopes = "openid email profile";

const loopbackHosts = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * GitHub and a generic OpenID Connect provider, each switched on by its environment variables. Both need the
 * callback URL `<public URL>/api/auth/callback/<id>` registered with the provider.
 */
export function externalProvidersFromEnv(env: NodeJS.ProcessEnv = process.env): ConfiguredProvider[] {
  const providers: ConfiguredProvider[] = [];
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) {
    providers.push({
      id: "github",
      name: "GitHub",
      origin: "https://github.com",
      provider: GitHub({
        clientId: env.AUTH_GITHUB_ID,
        clientSecret: env.AUTH_GITHUB_SECRET,
        // Auth.js's default too, stated because the email check below depends on it.
        authorization: { params: { scope: gitHubScopes } },
        // The profile's email is the verified primary address or none (see fetchVerifiedGitHubProfile). Done in
        // the provider's documented userinfo request rather than the signIn callback so that the one profile
        // Auth.js hands on (to signIn, then jwt, which finds or creates the account) never carries an address
        // GitHub has not verified. The URL is a string (Auth.js deep-merges objects) and fixed in code; the
        // request reads it back from the provider Auth.js passes in.
        userinfo: {
          url: gitHubUserUrl,
          request: ({ tokens, provider }: GitHubUserinfoContext) =>
            fetchVerifiedGitHubProfile(tokens.access_token ?? "", provider.userinfo?.url ?? gitHubUserUrl),
        },
      }),
    });
  }
  if (env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_ID && env.AUTH_OIDC_SECRET) {
    const issuer = new URL(env.AUTH_OIDC_ISSUER);
    // Auth.js also talks plain http to an issuer, which would send the client secret and the tokens in the clear:
    // only a provider on this machine (a test's or a developer's) may use it.
    if (issuer.protocol !== "https:" && !(issuer.protocol === "http:" && loopbackHosts.test(issuer.hostname)))
      throw new Error(
        `AUTH_OIDC_ISSUER must be an https URL (plain http only on this machine: localhost, 127.0.0.1, [::1]); it is ${issuer.origin}.`,
      );
    const name = env.AUTH_OIDC_NAME || "single sign-on";
    providers.push({
      id: "oidc",
      name,
      origin: issuer.origin,
      provider: {
        id: "oidc",
        name,
        type: "oidc",
        issuer: env.AUTH_OIDC_ISSUER,
        clientId: env.AUTH_OIDC_ID,
        clientSecret: env.AUTH_OIDC_SECRET,
        // `openid` for the ID token, `email` for `email` and `email_verified`, `profile` for `name`.
        authorization: { params: { scope: oidcScopes } },
        // The claims come from the UserInfo endpoint (its `sub` checked against the ID token's): in the code flow
        // OpenID Connect promises the scopes' claims there, while an ID token may carry no more than `sub`.
        idToken: false,
      },
    });
  }
  return providers;
}
