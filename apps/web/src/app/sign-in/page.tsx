import { externalProvidersFromEnv } from "@repokeys/auth/web";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeReturnPath } from "@/server/safe-return-path";
import { currentActor } from "@/server/session";
import { signInWithProvider } from "./actions";
import { PasswordForm } from "./password-form";
import { tooManyAttempts, wrongCredentials } from "./sign-in-messages";

export const metadata: Metadata = { title: "Sign in" };

/** Auth.js sends failed external sign-ins back here with an error code. */
const providerErrors: Record<string, string> = {
  // The signIn callback refuses an external account whose provider does not vouch for its email (see auth-config).
  AccessDenied:
    "Your identity provider has not verified this email address, so it cannot sign you in here. Verify the address with your provider, then try again.",
  Configuration: "Sign-in is misconfigured on the server. Ask your administrator to check the logs.",
  CredentialsSignin: wrongCredentials,
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeReturnPath(params.callbackUrl);
  if (await currentActor()) redirect(callbackUrl);
  const providers = externalProvidersFromEnv().map(({ id, name }) => ({ id, name }));
  const errorCode = typeof params.error === "string" ? params.error : undefined;
  // A password posted straight to Auth.js and refused by the sign-in limit (see SignInRateLimited).
  const rateLimited = errorCode === "CredentialsSignin" && params.code === "rate_limited";

  return (
    <main className="auth-page">
      <div className="card auth-card">
        <div className="card-body">
          <h1>Sign in to repokeys</h1>
          <p className="muted">Manage your repositories&apos; AI API keys.</p>
          {errorCode ? (
            <p role="alert" className="notice notice-warning">
              {rateLimited
                ? tooManyAttempts()
                : (providerErrors[errorCode] ?? "Sign-in did not complete. Please try again.")}
            </p>
          ) : null}
          <PasswordForm callbackUrl={callbackUrl} />
          {providers.length > 0 ? (
            <>
              <div className="divider">or</div>
              <div className="stack">
                {providers.map((p) => (
                  <form key={p.id} action={signInWithProvider}>
                    <input type="hidden" name="provider" value={p.id} />
                    <input type="hidden" name="callbackUrl" value={callbackUrl} />
                    <button type="submit" className="button" style={{ width: "100%" }}>
                      Continue with {p.name}
                    </button>
                  </form>
                ))}
              </div>
            </>
          ) : null}
        </div>
      </div>
    </main>
  );
}
