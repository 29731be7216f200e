import type { Page } from "playwright-core";

/** Submits the sign-in form and waits for the answer (React resets the form when its action completes). */
export async function submitSignInForm(page: Page, account: { email: string; password: string }): Promise<void> {
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  const answered = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/sign-in"));
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await answered;
}

/**
 * A password posted straight to Auth.js, as a script would: the CSRF token and its cookie from /api/auth/csrf,
 * then the credentials callback, without following its redirect.
 */
export async function postCredentials(
  baseUrl: string,
  account: { email: string; password: string },
  headers: Record<string, string> = {},
): Promise<Response> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers });
  const cookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";", 1)[0])
    .join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, ...account, callbackUrl: "/" }),
  });
}
