import type { GitHubProfile } from "@auth/core/providers/github";

/** GitHub's user endpoint; its `/emails` lists the user's addresses. Fixed here, never read from the environment. */
export const gitHubUserUrl = "https://api.github.com/user";

/** The `user:email` scope lets us list the user's addresses with their `verified` and `primary` flags. */
export const gitHubScopes = "read:user user:email";

/** The user's GitHub profile, its `email` replaced by the one GitHub vouches for (see verifiedPrimaryEmail). */
export type VerifiedGitHubProfile = GitHubProfile & { email: string | null; email_verified: boolean };

/**
 * The address GitHub vouches for: the primary one, only if GitHub reports it verified, lower-cased as accounts
 * are. Otherwise none: not a verified secondary address (the primary is the one the user chose to be reached
 * at, and one rule is simpler to state and to reason about), and never the public profile `email`, which GitHub
 * does not promise is verified.
 */
export function verifiedPrimaryEmail(emails: unknown): string | undefined {
  if (!Array.isArray(emails)) return undefined;
  const primary = emails.find(
    (e): e is { email: string } =>
      typeof e === "object" &&
      e !== null &&
      e.primary === true &&
      e.verified === true &&
      typeof e.email === "string" &&
      e.email !== "",
  );
  return primary?.email.toLowerCase();
}

/** GET one GitHub API URL as JSON; a failure names the endpoint and status only (no token, no address). */
async function getJson(url: URL, accessToken: string): Promise<unknown> {
  const response = await fetch(url, {
    headers: {
      Authorization: `Bearer ${accessToken}`,
      Accept: "application/vnd.github+json",
      "X-GitHub-Api-Version": "2022-11-28",
      "User-Agent": "repokeys",
    },
    // The bearer token goes to this URL only.
    redirect: "error",
  });
  if (!response.ok) throw new Error(`GitHub ${url.pathname} answered ${response.status}.`);
  return response.json();
}

/**
 * The user's profile from `<userUrl>` with `email` set to the verified primary address from `<userUrl>/emails`
 * (null when there is none) and `email_verified` saying whether there is one, so the sign-in callback treats
 * GitHub like an OpenID Connect provider. Auth.js's own GitHub userinfo takes the public profile email or the
 * primary (else the first) listed address without looking at `verified`, which would let someone sign in to the
 * account of any address they merely added to their GitHub account.
 */
export async function fetchVerifiedGitHubProfile(
  accessToken: string,
  userUrl: URL | string = gitHubUserUrl,
): Promise<VerifiedGitHubProfile> {
  const user = new URL(userUrl);
  const emails = new URL(`${user.pathname.replace(/\/$/, "")}/emails`, user);
  emails.searchParams.set("per_page", "100");
  const [profile, list] = await Promise.all([getJson(user, accessToken), getJson(emails, accessToken)]);
  if (typeof profile !== "object" || profile === null || Array.isArray(profile))
    throw new Error(`GitHub ${user.pathname} did not answer with a profile.`);
  const email = verifiedPrimaryEmail(list);
  return { ...(profile as GitHubProfile), email: email ?? null, email_verified: email !== undefined };
}
