// The sign-in limit, end to end: the production server with small limits, the sign-in page in a browser, and a
// script posting passwords straight to Auth.js. Every attempt here comes from one address (127.0.0.1), so the
// address's count runs through the whole file: `attempts` keeps it.
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, startAppServer } from "./support/app-server";
import { launchChromium } from "./support/chromium";
import { postCredentials, submitSignInForm } from "./support/sign-in";
import { demoAccount, prepareTestData, type TestData, viewerAccount } from "./support/test-data";

const perAccount = 3;
const perAddress = 20;

let data: TestData;
let server: AppServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
let attempts = 0;

const wrongCredentials = /^That email and password do not match an account/;
const rateLimited = /^Too many sign-in attempts\. Try again in 1[45] minutes\.$/;
const unknownEmail = () => `nobody-${randomUUID()}@repokeys.local`;

/** Signs in on the page and answers the refusal it shows. */
async function refusalOnPage(account: { email: string; password: string }): Promise<string | null> {
  attempts++;
  await submitSignInForm(page, account);
  // The button reads "Sign in" again once the action's answer is on the page.
  await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
  return page.locator("#sign-in-error").textContent();
}

function post(account: { email: string; password: string }, headers?: Record<string, string>) {
  attempts++;
  return postCredentials(server.baseUrl, account, headers);
}

/** Auth.js's answer to a refused direct post: a redirect to the sign-in page with an error code. */
const refusalCode = (response: Response) =>
  new URL(response.headers.get("location") ?? "/", server.baseUrl).searchParams.get("code");

beforeAll(async () => {
  data = await prepareTestData();
  [server, browser] = await Promise.all([
    startAppServer({
      ...data.env,
      RATE_LIMIT_SIGNIN_PER_ACCOUNT: String(perAccount),
      RATE_LIMIT_SIGNIN_PER_ADDRESS: String(perAddress),
    }),
    launchChromium(),
  ]);
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await data?.dispose();
});

describe("sign-in rate limit", () => {
  let knownRefusal: string | null;

  it("refuses an account's attempts past its limit on the page, even with the right password", async () => {
    await page.goto(`${server.baseUrl}/sign-in`);
    const wrong = { email: viewerAccount.email, password: "not-the-password" };
    for (let i = 0; i < perAccount; i++) expect(await refusalOnPage(wrong)).toMatch(wrongCredentials);
    knownRefusal = await refusalOnPage(wrong);
    expect(knownRefusal).toMatch(rateLimited);
    expect(await refusalOnPage(viewerAccount)).toMatch(rateLimited);
    expect(page.url()).toContain("/sign-in");
  });

  it("answers an unknown email exactly like a known one", async () => {
    const nobody = { email: unknownEmail(), password: "not-the-password" };
    for (let i = 0; i < perAccount; i++) expect(await refusalOnPage(nobody)).toMatch(wrongCredentials);
    expect(await refusalOnPage(nobody)).toBe(knownRefusal);
  });

  it("clears an account's count when its right password is given", async () => {
    const wrong = { email: demoAccount.email, password: "not-the-password" };
    for (let i = 0; i < perAccount - 1; i++) expect(refusalCode(await post(wrong))).toBe("credentials");
    const signedIn = await post(demoAccount);
    expect(signedIn.headers.getSetCookie().some((c) => c.startsWith("authjs.session-token="))).toBe(true);
    // Without the reset the third of these would be the account's fifth attempt, past its limit of 3.
    for (let i = 0; i < perAccount; i++) expect(refusalCode(await post(wrong))).toBe("credentials");
    // Past the limit, Auth.js's own redirect says so (the address still has budget, so it is not a 429).
    const refused = await post(demoAccount);
    expect(refused.status).toBe(302);
    expect(refusalCode(refused)).toBe("rate_limited");
    expect(refused.headers.getSetCookie().some((c) => c.includes("session-token"))).toBe(false);
  });

  it("answers direct posts with 429 and Retry-After once the address has spent its budget", async () => {
    // Made-up forwarding headers change nothing: without TRUST_PROXY the address is the connection's.
    const spoofed = () => ({
      "x-forwarded-for": `198.51.100.${attempts}`,
      "x-repokeys-client-address": `203.0.113.${attempts}`,
    });
    while (attempts < perAddress) {
      const response = await post({ email: unknownEmail(), password: "whatever-password" }, spoofed());
      expect(response.status).toBe(302);
      expect(refusalCode(response)).toBe("credentials");
    }
    // Each attempt counted once, wherever it came from: the next one is the address's 21st.
    const refused = await post({ email: unknownEmail(), password: "whatever-password" }, spoofed());
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(await refused.json()).toMatchObject({ success: false, message: expect.stringMatching(/Too many sign-in/) });
    expect((await post(demoAccount)).status).toBe(429);

    // The page says so too, for any account.
    expect(await refusalOnPage({ email: unknownEmail(), password: "whatever-password" })).toMatch(rateLimited);
  });

  it("logged no refusal as a server error", async () => {
    expect(await server.output()).not.toMatch(/CredentialsSignin|Too many sign-in/);
  });
});
