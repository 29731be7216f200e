import { CredentialsSignin } from "@auth/core/errors";

/** The sign-in limit as the password sign-in uses it (the API's `SignInLimit`, which this package cannot import). */
export interface SignInAttempts {
  attempt(attempt: {
    email: string;
    address: string;
  }): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
  succeeded(attempt: { email: string; address: string }): Promise<void>;
}

/**
 * A refused attempt. Auth.js turns it into `?error=CredentialsSignin&code=rate_limited` (the sign-in page's
 * server action catches it instead and shows the wait). It says nothing about the account: unknown emails are
 * counted and refused exactly like known ones.
 */
export class SignInRateLimited extends CredentialsSignin {
  override code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many sign-in attempts: try again in ${retryAfterSeconds} s`);
  }
}

/**
 * Counts the attempt against the account from this client address, and against the address, before the password
 * is checked, so guessing costs budget whether or not the account exists; a correct password clears the count of
 * the account from this address.
 */
export async function limitSignIn<User>(
  limit: SignInAttempts,
  attempt: { email: string; address: string },
  verify: () => Promise<User | null>,
): Promise<User | null> {
  const verdict = await limit.attempt(attempt);
  if (!verdict.allowed) throw new SignInRateLimited(verdict.retryAfterSeconds);
  const user = await verify();
  if (user) await limit.succeeded(attempt);
  return user;
}
