import type { IncomingMessage } from "node:http";
import { decode } from "@auth/core/jwt";
import type { SessionVersions } from "../session-versions";

/** Auth.js's session cookie: `__Secure-` prefixed when the app is served over https. */
export const sessionCookieNames = ["__Secure-authjs.session-token", "authjs.session-token"] as const;

export interface SessionUser {
  userId: string;
  email: string;
  name: string;
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

/** Auth.js splits a cookie over 4 kB into `name.0`, `name.1`, …; ours are small, but read both forms. */
function readChunked(cookies: Map<string, string>, name: string): string | undefined {
  const whole = cookies.get(name);
  if (whole) return whole;
  let value = "";
  for (let i = 0; cookies.has(`${name}.${i}`); i++) value += cookies.get(`${name}.${i}`);
  return value || undefined;
}

/**
 * The signed-in user of a request, read from the Auth.js session cookie without Next.js: the custom server resolves
 * web sessions for the tRPC endpoint with it. The cookie is a JWE whose key derives from the secret and the cookie
 * name, and its expiry is checked on decryption; anything that does not decrypt is no session, and neither is one
 * the user has since ended by signing out (see SessionVersions).
 */
export function createSessionResolver(secret: string, sessionVersions: SessionVersions) {
  return async function resolveSession(req: IncomingMessage): Promise<SessionUser | null> {
    const cookies = parseCookies(req.headers.cookie);
    for (const name of sessionCookieNames) {
      const token = readChunked(cookies, name);
      if (!token) continue;
      try {
        const payload = await decode({ token, secret, salt: name });
        if (
          typeof payload?.sub === "string" &&
          typeof payload.email === "string" &&
          (await sessionVersions.isCurrent(payload.sub, payload.sessionVersion))
        )
          return {
            userId: payload.sub,
            email: payload.email,
            name: typeof payload.name === "string" ? payload.name : "",
          };
      } catch {
        // tampered, expired or signed with another secret
      }
      return null;
    }
    return null;
  };
}
