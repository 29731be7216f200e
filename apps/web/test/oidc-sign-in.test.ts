// Single sign-on through a real OpenID Connect provider on loopback and Auth.js's real code flow (PKCE, ID token,
// UserInfo), driven in Chromium: the sign-in page's button, the provider's login and consent pages, back to the app.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, startAppServer } from "./support/app-server";
import { launchChromium } from "./support/chromium";
import { type IdentityProvider, startIdentityProvider } from "./support/identity-provider";
import { demoAccount, prepareTestData, type TestData, viewerAccount } from "./support/test-data";

/** The provider's users, by login. */
const accounts = {
  newcomer: { email: "new.person@example.test", email_verified: true, name: "Nia Newcomer" },
  // The seeded VIEWER, spelled with capitals by the provider: emails match whatever their case.
  viewer: { email: "Viewer@RepoKeys.Local", email_verified: true, name: "Someone Else" },
  unverified: { email: "unverified@example.test", email_verified: false, name: "Una Unverified" },
  // Claims the demo OWNER's email without vouching for it: taking over that account must not work.
  impostor: { email: demoAccount.email, email_verified: false, name: "Imp Impostor" },
} as const;

let data: TestData;
let idp: IdentityProvider;
let server: AppServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;
let page: Page;

/**
 * The app as the browser sees it: at localhost, since Next names every loopback address `localhost` in the URLs
 * it gives Auth.js's routes (see route.ts), and the redirect URI of the code flow must match that name.
 */
let appUrl: string;
const url = (pathname: string) => `${appUrl}${pathname}`;

/** From a protected page through the sign-in page and the provider's login and consent, as `login`. */
async function signInThroughProvider(login: keyof typeof accounts): Promise<void> {
  // A fresh browser: no session with the app nor with the provider (which would sign the last user in again).
  await context.clearCookies();
  await page.goto(url("/"));
  await page.waitForURL(/\/sign-in\?callbackUrl=%2F$/);
  await page.getByRole("button", { name: "Continue with Test IdP" }).click();
  await page.waitForURL((u) => u.href.startsWith(idp.issuer));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL((u) => u.href.startsWith(appUrl));
}

const overviewHeading = () => page.getByRole("heading", { level: 1, name: "Your repositories" });
/** Who the app says is signed in (the sidebar's name and email). */
const signedInAs = async () => [
  await page.locator(".user-box strong").textContent(),
  await page.locator(".user-box .email").textContent(),
];

beforeAll(async () => {
  [data, idp] = await Promise.all([prepareTestData(), startIdentityProvider(accounts)]);
  [server, browser] = await Promise.all([startAppServer({ ...data.env, ...idp.env }), launchChromium()]);
  appUrl = server.baseUrl.replace("//127.0.0.1:", "//localhost:");
  idp.registerApp(appUrl);
  context = browser.context;
  // Loopback only: the provider's development pages would load a web font from the internet.
  await context.route(
    (u) => u.hostname !== "127.0.0.1" && u.hostname !== "localhost",
    (route) => route.abort(),
  );
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await idp?.stop();
  await data?.dispose();
});

describe(`single sign-on through OpenID Connect (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("has the callback URL <public URL>/api/auth/callback/oidc; made-up X-Forwarded-* change nothing without TRUST_PROXY", async () => {
    const madeUp = {
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
      forwarded: "host=evil.example;proto=https",
    };
    const providers = async (headers: Record<string, string>) =>
      (await (await fetch(`${server.baseUrl}/api/auth/providers`, { headers })).json()).oidc.callbackUrl;
    expect(await providers({})).toBe(url("/api/auth/callback/oidc"));
    expect(await providers(madeUp)).toBe(url("/api/auth/callback/oidc"));
    // Nor do they reach the sign-in redirect or the callback cookie Auth.js sets with it.
    const start = await fetch(`${server.baseUrl}/api/auth/signin`, { headers: madeUp, redirect: "manual" });
    expect(start.status).toBe(302);
    expect([start.headers.get("location"), ...start.headers.getSetCookie()].join("\n")).not.toContain("evil.example");
  });

  it("signs a new email in as a new account with no workspace", async () => {
    await signInThroughProvider("newcomer");
    await page.waitForURL(url("/"));
    await overviewHeading().waitFor();
    await page.getByRole("heading", { name: "No workspaces yet" }).waitFor();
    expect(await signedInAs()).toEqual(["Nia Newcomer", "new.person@example.test"]);
  });

  it("signs out: the session ends, even if its cookie is replayed", async () => {
    const session = (await context.cookies(appUrl)).find((c) => c.name === "authjs.session-token");
    expect(session).toBeDefined();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto(url("/"));
    await page.waitForURL(/\/sign-in\?callbackUrl=%2F$/);
    // The old cookie, put back, no longer opens the app (signing out raised the user's session version).
    await context.addCookies([session!]);
    await page.reload();
    await page.waitForURL(/\/sign-in\?callbackUrl=%2F$/);
    await page.getByRole("button", { name: "Continue with Test IdP" }).waitFor();
  });

  it("signs an existing email in to its account, whatever its case", async () => {
    await signInThroughProvider("viewer");
    await page.waitForURL(url("/"));
    await overviewHeading().waitFor();
    const workspace = page.getByRole("region", { name: demoAccount.workspaceName });
    await workspace.getByText("VIEWER").waitFor();
    await workspace.getByRole("link", { name: demoAccount.repoName }).waitFor();
    expect(await signedInAs()).toEqual([viewerAccount.name, viewerAccount.email]);
  });

  it("refuses an email the provider has not verified, with a message that says so", async () => {
    for (const login of ["unverified", "impostor"] as const) {
      await signInThroughProvider(login);
      await page.waitForURL(/\/sign-in\?error=AccessDenied$/);
      const alert = page.getByRole("alert").filter({ hasText: "identity provider" });
      expect(await alert.textContent()).toBe(
        "Your identity provider has not verified this email address, so it cannot sign you in here. " +
          "Verify the address with your provider, then try again.",
      );
      await page.goto(url("/"));
      await page.waitForURL(/\/sign-in\?callbackUrl=%2F$/);
    }
  });

  it("leaves one new account, the existing one as it was, and none for refused emails", async () => {
    await server.stop(); // the embedded database allows one process at a time
    const users = await data.inspect((db) =>
      db.prisma.user.findMany({ select: { email: true, name: true, passwordHash: true }, orderBy: { email: "asc" } }),
    );
    expect(users.map(({ email, name, passwordHash }) => ({ email, name, password: passwordHash !== null }))).toEqual([
      { email: demoAccount.email, name: demoAccount.name, password: true },
      { email: "new.person@example.test", name: "Nia Newcomer", password: false },
      { email: viewerAccount.email, name: viewerAccount.name, password: true },
    ]);
  });
});
