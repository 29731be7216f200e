// The web app's pages and forms in one production server and one Chromium. One file past 300 lines on
// purpose: its cases share that server, its database and its signed-in browser contexts.
import { mkdir } from "node:fs/promises";
import { connect } from "node:net";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, startAppServer } from "./support/app-server";
import { chooseKeyAction } from "./support/browser-session";
import { launchChromium } from "./support/chromium";
import { postCredentials, submitSignInForm } from "./support/sign-in";
import { demoAccount, prepareTestData, type TestData, viewerAccount } from "./support/test-data";

let data: TestData;
let server: AppServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;
let page: Page;
let screenshots: string;
const cspViolations: string[] = [];

const url = (pathname: string) => `${server.baseUrl}${pathname}`;
const shoot = (name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
/** Holds the next calls to a tRPC procedure for a moment, so the page's in-between state can be seen. */
const slowDown = (procedure: string) =>
  page.route(`**/api/trpc/${procedure}?*`, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await route.continue();
  });
const keyRow = (name: string) => page.locator("tbody tr").filter({ has: page.getByText(name, { exact: true }) });

const signIn = (account: { email: string; password: string }) => submitSignInForm(page, account);

beforeAll(async () => {
  data = await prepareTestData();
  screenshots = path.resolve(import.meta.dirname, "../test-artifacts/screenshots", data.kind.toLowerCase());
  await mkdir(screenshots, { recursive: true });
  // As if behind the one reverse proxy: "sign-in behind an https proxy" sends its X-Forwarded-Proto, which the
  // server drops without TRUST_PROXY. The browser sends no forwarding headers, so nothing else changes.
  [server, browser] = await Promise.all([startAppServer({ ...data.env, TRUST_PROXY: "1" }), launchChromium()]);
  context = browser.context;
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) cspViolations.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await data?.dispose();
});

describe("the web app", () => {
  it("answers a page request without a session with a redirect to sign-in", async () => {
    const response = await fetch(url("/repos/x/audit?page=2"), { redirect: "manual" });
    expect(response.status).toBe(307);
    const location = new URL(response.headers.get("location")!, server.baseUrl);
    expect(location.pathname).toBe("/sign-in");
    expect(location.searchParams.get("callbackUrl")).toBe("/repos/x/audit?page=2");
  });

  it("answers a request Node cannot parse with a JSON 400, not a bare one", async () => {
    const socket = connect(Number(new URL(server.baseUrl).port), "127.0.0.1");
    socket.end("GET / HTTP/1.1\r\nHost: x\r\nNot a header\r\n\r\n");
    let answer = "";
    for await (const chunk of socket) answer += chunk;
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('"message":"The request is not valid HTTP."');
  });

  it("sends security headers with every page: a nonce CSP without unsafe-eval, no framing, nosniff", async () => {
    const response = await fetch(url("/sign-in"));
    const csp = response.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    expect(await response.text()).toContain(`nonce="${nonce}"`);
  });

  it("sends a visitor to sign-in and back to the page they asked for", async () => {
    await page.goto(url("/tokens"));
    await page.waitForURL(/\/sign-in\?callbackUrl=%2Ftokens$/);
    await shoot("sign-in");

    await signIn({ email: demoAccount.email, password: "not-the-password" });
    const error = page.getByRole("alert").filter({ hasText: "match an account" });
    const wrongPassword = await error.textContent();
    await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    await signIn({ email: "nobody@repokeys.local", password: "whatever-password" });
    await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    expect(await error.textContent()).toBe(wrongPassword);
    expect(wrongPassword).toMatch(/do not match an account/);

    await signIn(demoAccount);
    await page.waitForURL(url("/tokens"));
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("API tokens");
  });

  it("keeps the session in an httpOnly, SameSite=Lax cookie", async () => {
    const cookie = (await context.cookies(server.baseUrl)).find((c) => c.name === "authjs.session-token");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false });
  });

  it("lists the user's workspaces and repositories with the role", async () => {
    const nav = page.getByRole("navigation", { name: "Workspaces and repositories" });
    await expect.poll(() => nav.textContent()).toContain(demoAccount.workspaceName);
    expect(await nav.textContent()).toContain("OWNER");
    await nav.getByRole("link", { name: demoAccount.repoName }).click();
    await page.waitForURL(url(`/repos/${data.repoId}`));
    await page.getByRole("heading", { name: "No AI API keys yet" }).waitFor();
    await shoot("keys-empty");
  });

  it("creates a key and shows its secret once", async () => {
    await page.getByRole("button", { name: "Create key", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Create an AI API key" });
    await dialog.getByLabel("Name").fill("Checkout service");
    await dialog.getByLabel("AI type").selectOption("ANTHROPIC");
    await dialog.getByRole("button", { name: "Create key" }).click();

    const reveal = page.getByRole("dialog", { name: "Key “Checkout service” created" });
    await reveal.getByText("You will not see this again.").waitFor();
    const secret = await reveal.getByLabel("Secret", { exact: true }).inputValue();
    const publicKey = await reveal.getByLabel("Public key", { exact: true }).inputValue();
    expect(secret.length).toBeGreaterThan(20);
    expect(await reveal.textContent()).toContain("To replace them, use Rotate");
    await shoot("key-secret-once");
    await reveal.getByRole("button", { name: "I have copied it" }).click();

    const row = keyRow("Checkout service");
    await row.waitFor();
    expect(await row.textContent()).toContain(publicKey);
    expect(await row.textContent()).toContain("Anthropic");
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await keyRow("Checkout service").waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  it("renames a key in place and records it in the audit trail", async () => {
    await page.getByRole("button", { name: "Rename Checkout service" }).click();
    const input = page.getByLabel("New name for Checkout service");
    await input.fill("Checkout service (production)");
    await slowDown("updateAiApiKey");
    await input.press("Enter");
    // optimistic: the new name shows while the server is still saving it
    const saving = page.getByRole("status").filter({ hasText: "Saving…" });
    await saving.waitFor();
    expect(await keyRow("Checkout service (production)").count()).toBe(1);
    await saving.waitFor({ state: "detached" });
    await page.unrouteAll({ behavior: "wait" });
    await page.reload();
    await keyRow("Checkout service (production)").waitFor();
    await shoot("keys");

    await page.getByRole("link", { name: "Audit trail" }).click();
    await page.waitForURL(url(`/repos/${data.repoId}/audit`));
    const renamed = page.locator("tbody tr").filter({ hasText: "Key renamed" });
    const text = await renamed.textContent();
    // before and after, labelled as the keys table labels them, in full
    expect((await renamed.locator('td[data-label="Change"] dd').textContent())?.replace(/\s+/g, " ")).toBe(
      "from Checkout service → to Checkout service (production)",
    );
    expect(text).toContain("Web app");
    expect(text).toContain(demoAccount.email);
    expect(await page.locator("tbody tr").filter({ hasText: "Key created" }).count()).toBe(1);
    await shoot("audit");
  });

  it("explains a rejected rename before sending it, with the server's own rule", async () => {
    await page.getByRole("link", { name: "AI API keys" }).click();
    await page.getByRole("button", { name: "Rename Checkout service (production)" }).click();
    const input = page.getByLabel("New name for Checkout service (production)");
    await input.fill("   ");
    await input.press("Enter");
    const alert = page.getByRole("alert").filter({ hasText: "Name must not be empty" });
    await alert.waitFor();
    expect(await alert.textContent()).toBe("Name must not be empty or only spaces.");
    await input.press("Escape");
    await keyRow("Checkout service (production)").waitFor();
    await shoot("rename-rejected");
  });

  it("refuses a rename from a stale screen and says what the key is called now", async () => {
    const name = "Checkout service (production)";
    await page.getByRole("button", { name: `Rename ${name}` }).click();
    // Meanwhile someone else renames it from another screen.
    const other = await context.newPage();
    const renameOn = async (p: Page, from: string, to: string) => {
      await p.getByRole("button", { name: `Rename ${from}` }).click();
      const input = p.getByLabel(`New name for ${from}`);
      await input.fill(to);
      await input.press("Enter");
      await p.getByRole("status").filter({ hasText: "Saving…" }).waitFor({ state: "detached" });
    };
    await other.goto(url(`/repos/${data.repoId}`));
    await renameOn(other, name, "Checkout (renamed elsewhere)");

    const input = page.getByLabel(`New name for ${name}`);
    await input.fill("Checkout (stale screen)");
    await input.press("Enter");
    const alert = page.getByRole("alert").filter({ hasText: "Not renamed" });
    await alert.waitFor();
    expect(await alert.textContent()).toContain("it is now named “Checkout (renamed elsewhere)”");
    // The list shows the name that won, and nothing of the refused one.
    await keyRow("Checkout (renamed elsewhere)").waitFor();
    expect(await keyRow("Checkout (stale screen)").count()).toBe(0);
    await shoot("rename-stale");
    await alert.getByRole("button", { name: "Dismiss" }).click();
    await renameOn(page, "Checkout (renamed elsewhere)", name);
    await other.close();
  });

  it("deletes a key after a confirmation that names it", async () => {
    await chooseKeyAction(page, "Checkout service (production)", "Delete…");
    const confirm = page.getByRole("dialog", { name: "Delete “Checkout service (production)”?" });
    await confirm.waitFor();
    await shoot("delete-confirmation");
    await confirm.getByRole("button", { name: "Delete key" }).click();
    await page.getByRole("heading", { name: "No AI API keys yet" }).waitFor();
  });

  it("rotates a key: the new secret shown once, the old key kept until its grace ends, then marked expired", async () => {
    await page.getByRole("button", { name: "Create key", exact: true }).click();
    const create = page.getByRole("dialog", { name: "Create an AI API key" });
    await create.getByLabel("Name").fill("Gateway client");
    await create.getByRole("button", { name: "Create key" }).click();
    const created = page.getByRole("dialog", { name: "Key “Gateway client” created" });
    const oldKey = await created.getByLabel("Public key", { exact: true }).inputValue();
    await created.getByRole("button", { name: "I have copied it" }).click();
    const oldRow = page.locator(`tbody tr:has(code:text-is("${oldKey}"))`);
    expect(await oldRow.textContent()).toContain("never used");

    // A day's grace: both keys listed, the old one with its end date.
    await chooseKeyAction(page, "Gateway client", "Rotate…");
    const confirm = page.getByRole("dialog", { name: "Rotate “Gateway client”?" });
    expect(await confirm.getByLabel("Grace period for the old key").inputValue()).toBe("86400");
    await shoot("rotate-confirmation");
    await confirm.getByRole("button", { name: "Rotate key" }).click();
    const reveal = page.getByRole("dialog", { name: "Key “Gateway client” rotated" });
    const newKey = await reveal.getByLabel("Public key", { exact: true }).inputValue();
    const newSecret = await reveal.getByLabel("Secret", { exact: true }).inputValue();
    expect(newKey).not.toBe(oldKey);
    expect(await reveal.textContent()).toMatch(/The old key keeps working until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    await shoot("rotate-secret-once");
    await reveal.getByRole("button", { name: "I have copied it" }).click();
    const newRow = page.locator(`tbody tr:has(code:text-is("${newKey}"))`);
    await newRow.waitFor();
    expect(await oldRow.locator('td[data-label="Expires"] time').getAttribute("title")).toMatch(
      /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/,
    );
    expect(await oldRow.getAttribute("class")).toBeNull();

    // No grace: the new key's predecessor is expired at once, and stands out.
    await chooseKeyAction(newRow, "Gateway client", "Rotate…");
    await confirm.getByLabel("Grace period for the old key").selectOption("0");
    await confirm.getByRole("button", { name: "Rotate key" }).click();
    await reveal.getByRole("button", { name: "I have copied it" }).click();
    await newRow.getByText("Expired").waitFor();
    expect(await newRow.getAttribute("class")).toBe("row-expired");
    await newRow.getByRole("button", { name: "Actions for Gateway client" }).click();
    expect(await newRow.getByRole("menuitem").allTextContents()).toEqual(["Delete…"]);
    await page.keyboard.press("Escape");
    expect(await page.content()).not.toContain(newSecret);
    await shoot("keys-rotated");

    // Leave the repository without keys, as the tests after this one expect.
    for (let left = await page.locator("tbody tr").count(); left > 0; left--) {
      await chooseKeyAction(page, "Gateway client", "Delete…");
      await page
        .getByRole("dialog", { name: "Delete “Gateway client”?" })
        .getByRole("button", { name: "Delete key" })
        .click();
      await page.getByRole("dialog", { name: "Delete “Gateway client”?" }).waitFor({ state: "detached" });
    }
    await page.getByRole("heading", { name: "No AI API keys yet" }).waitFor();
  });

  it("creates an API token shown once, lists it, and revokes it", async () => {
    await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "API tokens" }).click();
    await page.getByLabel("Name").fill("deploy script");
    await page.getByLabel("Expires after").selectOption("30");
    await page.getByRole("button", { name: "Create token" }).click();
    const reveal = page.getByRole("dialog", { name: "Token “deploy script” created" });
    const token = await reveal.getByLabel("API token", { exact: true }).inputValue();
    await reveal.getByRole("button", { name: "I have copied it" }).click();

    // the token works on the REST API
    const rest = await fetch(url(`/repo/${data.repoId}/ai/apikey`), { headers: { authorization: `Bearer ${token}` } });
    expect(rest.status).toBe(200);

    const row = page.locator("tbody tr").filter({ hasText: "deploy script" });
    await row.waitFor();
    expect(await row.textContent()).toContain(`${token.slice(0, 8)}`);
    expect(await page.content()).not.toContain(token);
    await shoot("tokens");
    await row.getByRole("button", { name: "Revoke deploy script" }).click();
    await page
      .getByRole("dialog", { name: "Revoke “deploy script”?" })
      .getByRole("button", { name: "Revoke token" })
      .click();
    await row.getByText("Revoked").waitFor();
    const revoked = await fetch(url(`/repo/${data.repoId}/ai/apikey`), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(revoked.status).toBe(401);
  });

  it("fits a phone-width screen", async () => {
    await page.getByRole("link", { name: demoAccount.repoName }).click();
    await page.getByRole("button", { name: "Create key", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Create an AI API key" });
    await dialog.getByLabel("Name").fill("Billing worker");
    await dialog.getByRole("button", { name: "Create key" }).click();
    await page.getByRole("button", { name: "I have copied it" }).click();
    await keyRow("Billing worker").waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    await shoot("keys-phone");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("signs out", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    expect((await context.cookies(server.baseUrl)).some((c) => c.name === "authjs.session-token")).toBe(false);
    await page.goto(url(`/repos/${data.repoId}`));
    await page.waitForURL(/\/sign-in\?callbackUrl=/);
  });

  it("shows a VIEWER the keys without write controls, and the server refuses their writes", async () => {
    await signIn(viewerAccount);
    await page.waitForURL(url(`/repos/${data.repoId}`));
    const row = keyRow("Billing worker");
    await row.waitFor();
    expect(await page.getByRole("navigation", { name: "Workspaces and repositories" }).textContent()).toContain(
      "VIEWER",
    );
    expect(await page.getByText("You have read-only access").count()).toBe(1);
    for (const name of ["Create key", "Rename Billing worker", "Actions for Billing worker"])
      expect(await page.getByRole("button", { name }).count()).toBe(0);
    await shoot("keys-viewer");

    const apikeyId = await row.getAttribute("data-key-id");
    const refused = await page.evaluate(
      async ({ repoId, apikeyId }) => {
        const response = await fetch("/api/trpc/updateAiApiKey", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ repoId, apikeyId, name: "taken over" }),
        });
        return { status: response.status, body: await response.text() };
      },
      { repoId: data.repoId, apikeyId },
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("Insufficient permissions");
  });

  it("ran every page without a Content-Security-Policy violation", () => {
    expect(cspViolations).toEqual([]);
  });
});

describe("sign-in behind an https proxy", () => {
  const https = { "x-forwarded-proto": "https" };

  const signInOverHttps = (email: string, password: string) =>
    postCredentials(server.baseUrl, { email, password }, https);

  it("sets a __Secure- session cookie that is Secure, httpOnly and SameSite=Lax, which the API accepts", async () => {
    const response = await signInOverHttps(demoAccount.email, demoAccount.password);
    const session = response.headers.getSetCookie().find((c) => c.startsWith("__Secure-authjs.session-token="));
    expect(session).toBeDefined();
    expect(session).toMatch(/; Secure/i);
    expect(session).toMatch(/; HttpOnly/i);
    expect(session).toMatch(/; SameSite=Lax/i);

    const workspaces = await fetch(url("/api/trpc/listWorkspaces"), {
      headers: { cookie: session!.split(";", 1)[0]!, "sec-fetch-site": "same-origin" },
    });
    expect(workspaces.status).toBe(200);
    expect(await workspaces.text()).toContain(demoAccount.workspaceName);
  });

  it("answers an unknown email exactly like a wrong password", async () => {
    const wrong = await signInOverHttps(demoAccount.email, "wrong-password");
    const unknown = await signInOverHttps("nobody@repokeys.local", "wrong-password");
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.headers.get("location")).toBe(wrong.headers.get("location"));
    expect(wrong.headers.getSetCookie().some((c) => c.includes("session-token"))).toBe(false);
  });
});
