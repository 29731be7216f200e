// What the sign-in page says when a password sign-in fails: shared by the server action and the page (which shows
// Auth.js's redirects). Neither message may tell whether the email has an account (see verifyPasswordSignIn).

export const wrongCredentials = "That email and password do not match an account. Check them and try again.";

/** The wait in whole minutes, rounded up, so the message never promises a retry that would still be refused. */
export function tooManyAttempts(retryAfterSeconds?: number): string {
  if (retryAfterSeconds === undefined) return "Too many sign-in attempts. Try again later.";
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `Too many sign-in attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}
