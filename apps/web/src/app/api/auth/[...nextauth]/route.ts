import { NextRequest } from "next/server";
import { handlers } from "@/auth";

/**
 * Behind our custom server Next hands route handlers a URL on `localhost:<port>`, whatever the request's Host.
 * Auth.js takes its public URL from it here, but from Host / X-Forwarded-* in the sign-in page's server action:
 * an external sign-in would then begin with one redirect URI and redeem its code with another (the provider
 * refuses: `invalid_grant`), and end on localhost. So the handlers get the URL from the same headers as the action
 * (Auth.js's createActionURL; `trustHost` is on). AUTH_URL, when set, still pins it (next-auth applies it after).
 * X-Forwarded-* only reach this behind a trusted proxy: without TRUST_PROXY server.ts drops them.
 * One quirk remains: Next's request URLs name every loopback address `localhost`, so on this machine sign in
 * externally at http://localhost:<port>, not http://127.0.0.1:<port>.
 */
function withRequestOrigin(handler: (request: NextRequest) => Promise<Response>) {
  const first = (value: string | null) => value?.split(",", 1)[0]?.trim() || undefined;
  return (request: NextRequest) => {
    const host = first(request.headers.get("x-forwarded-host")) ?? first(request.headers.get("host"));
    // A host name or address and a port, nothing else; otherwise Auth.js keeps the URL Next gave.
    if (!host || !/^([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/i.test(host)) return handler(request);
    const protocol = first(request.headers.get("x-forwarded-proto")) === "https" ? "https" : "http";
    const url = new URL(`${protocol}://${host}`);
    url.pathname = request.nextUrl.pathname;
    url.search = request.nextUrl.search;
    return handler(new NextRequest(url, request));
  };
}

export const GET = withRequestOrigin(handlers.GET);
export const POST = withRequestOrigin(handlers.POST);
