import { sessionCookieNames } from "@repokeys/auth/web";
import { type NextRequest, NextResponse } from "next/server";

/**
 * A visitor without a session cookie goes straight to sign-in (a plain 307, before any rendering) and comes back
 * afterwards. Only the cookie's presence is checked here; every page still verifies the session itself.
 */
export function proxy(request: NextRequest) {
  if (sessionCookieNames.some((name) => request.cookies.has(name) || request.cookies.has(`${name}.0`)))
    return NextResponse.next();
  const signIn = new URL("/sign-in", request.url);
  signIn.searchParams.set("callbackUrl", request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Pages only: not sign-in itself, Auth.js's routes, Next's assets or static files.
  matcher: ["/((?!sign-in|api/|_next/|favicon\\.ico|.*\\.[a-z0-9]+$).*)"],
};
