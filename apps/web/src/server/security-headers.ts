import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Security headers for everything Next serves (the API sets its own). Scripts run only with this response's nonce:
 * Next reads it back from the request's Content-Security-Policy header and puts it on the scripts it renders.
 * `'unsafe-eval'` only in development, where React's debugging needs it. `formTargets` are the origins a sign-in
 * form may be redirected to (the external identity providers).
 */
export function createSecurityHeaders({ dev, formTargets }: { dev: boolean; formTargets: string[] }) {
  return function applySecurityHeaders(req: IncomingMessage, res: ServerResponse): void {
    const nonce = randomBytes(16).toString("base64");
    const https = req.headers["x-forwarded-proto"] === "https" || "encrypted" in req.socket;
    const policy = [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
      // React renders style attributes; no inline <style> or script can be injected through them.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      `connect-src 'self'${dev ? " ws: wss:" : ""}`,
      "object-src 'none'",
      "base-uri 'self'",
      `form-action 'self'${formTargets.map((origin) => ` ${origin}`).join("")}`,
      "frame-ancestors 'none'",
      ...(https ? ["upgrade-insecure-requests"] : []),
    ].join("; ");
    req.headers["content-security-policy"] = policy;
    res.setHeader("Content-Security-Policy", policy);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    if (https) res.setHeader("Strict-Transport-Security", "max-age=31536000");
  };
}
