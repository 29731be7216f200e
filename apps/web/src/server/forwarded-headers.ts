import type { IncomingMessage } from "node:http";

/**
 * Without `TRUST_PROXY` no proxy of ours vouches for `X-Forwarded-*` (or RFC 7239 `Forwarded`): a client
 * could name any host and scheme, and Auth.js (`trustHost`) and Next would build sign-in URLs, the callback
 * cookie and OAuth redirect URIs on it. So the web app only sees them behind the one trusted proxy; otherwise
 * its public URL comes from `Host` (or `AUTH_URL`, which pins it).
 */
export function dropUntrustedForwardedHeaders(req: IncomingMessage, trustProxy: boolean): void {
  if (trustProxy) return;
  for (const name of Object.keys(req.headers)) {
    if (name.startsWith("x-forwarded-") || name === "forwarded") delete req.headers[name];
  }
}
