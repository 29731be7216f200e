import type { Provider } from "@auth/core/providers";
import GitHub from "@auth/core/providers/github";

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
      provider: GitHub({ clientId: env.AUTH_GITHUB_ID, clientSecret: env.AUTH_GITHUB_SECRET }),
    });
  }
  if (env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_ID && env.AUTH_OIDC_SECRET) {
    const name = env.AUTH_OIDC_NAME || "single sign-on";
    providers.push({
      id: "oidc",
      name,
      origin: new URL(env.AUTH_OIDC_ISSUER).origin,
      provider: {
        id: "oidc",
        name,
        type: "oidc",
        issuer: env.AUTH_OIDC_ISSUER,
        clientId: env.AUTH_OIDC_ID,
        clientSecret: env.AUTH_OIDC_SECRET,
      },
    });
  }
  return providers;
}
