import type { IncomingMessage, ServerResponse } from "node:http";
import type { SignInLimit } from "@repokeys/api";

/** Auth.js's password sign-in endpoint: what a script guessing passwords posts to, bypassing the sign-in page. */
const credentialsCallback = "/api/auth/callback/credentials";

/**
 * For server.ts: answers a password sign-in posted straight to Auth.js with 429 and Retry-After once its address
 * has spent its budget. It only looks (`peekAddress`): Auth.js's `authorize` counts every attempt, including the
 * sign-in page's, which never pass through here, so counting here too would charge a direct post twice. The
 * check sits before Next because Auth.js answers every refused sign-in with a redirect and cannot send a 429.
 * An account past its own limit (its address still within budget) gets that redirect, with
 * `code=rate_limited`: refused all the same before any password is checked.
 */
export function createSignInThrottle(signIn: SignInLimit) {
  return async function refuseSpentAddress(req: IncomingMessage, res: ServerResponse, address: string) {
    if (req.method !== "POST" || req.url?.split("?", 1)[0] !== credentialsCallback) return false;
    const verdict = await signIn.peekAddress(address);
    if (verdict.allowed) return false;
    const body = JSON.stringify({
      success: false,
      code: "TOO_MANY_REQUESTS",
      message: `Too many sign-in attempts from this address. Try again in ${verdict.retryAfterSeconds} s.`,
    });
    res.writeHead(429, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(body),
      "cache-control": "no-store",
      "retry-after": String(verdict.retryAfterSeconds),
    });
    res.end(body);
    return true;
  };
}
