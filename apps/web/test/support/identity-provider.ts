import { generateKeyPairSync, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type RequestListener } from "node:http";
import Provider from "oidc-provider";

/** What the identity provider says about one of its users (OpenID Connect standard claims). */
export interface IdentityClaims {
  email: string;
  email_verified: boolean;
  name?: string;
}

export interface IdentityProvider {
  issuer: string;
  /** The app's AUTH_OIDC_* environment for this provider. */
  env: Record<string, string>;
  /** Registers the app (its redirect URI is `<baseUrl>/api/auth/callback/oidc`); only then does the provider answer. */
  registerApp(baseUrl: string): void;
  stop(): Promise<void>;
}

/**
 * A real OpenID Connect provider (panva's oidc-provider, certified by the OpenID Foundation) on a free loopback
 * port, with its development login and consent pages: the login is the account's key in `accounts`, any password.
 * It keeps its defaults otherwise, so the email claims come from its UserInfo endpoint, as the code flow promises,
 * not from the ID token. The issuer is plain http on 127.0.0.1: a test-only provider on this machine.
 */
export async function startIdentityProvider(accounts: Record<string, IdentityClaims>): Promise<IdentityProvider> {
  // The issuer must name the port, and the client must name the app's redirect URI, which is known only once the
  // app (configured with this issuer) has started: listen first, build the provider when the app registers.
  let handle: RequestListener | undefined;
  const server = createServer((req, res) => {
    if (handle) handle(req, res);
    else res.writeHead(503).end();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  const issuer = `http://127.0.0.1:${port}`;
  const client = { id: "repokeys-test", secret: randomBytes(24).toString("base64url") };
  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });

  return {
    issuer,
    env: {
      AUTH_OIDC_ISSUER: issuer,
      AUTH_OIDC_ID: client.id,
      AUTH_OIDC_SECRET: client.secret,
      AUTH_OIDC_NAME: "Test IdP",
    },
    registerApp(baseUrl) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: client.id,
            client_secret: client.secret,
            redirect_uris: [`${baseUrl}/api/auth/callback/oidc`],
            grant_types: ["authorization_code"],
            response_types: ["code"],
          },
        ],
        claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
        async findAccount(_ctx, id) {
          const claims = accounts[id];
          return claims && { accountId: id, claims: async () => ({ sub: id, ...claims }) };
        },
        jwks: { keys: [{ ...signingKey, kid: "test", alg: "RS256", use: "sig" }] },
        cookies: { keys: [randomBytes(32).toString("hex")] },
      });
      handle = provider.callback();
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
