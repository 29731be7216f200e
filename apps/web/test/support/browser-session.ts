import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { type AppServer, startAppServer } from "./app-server";
import { launchChromium } from "./chromium";
import type { widths } from "./layout";
import { submitSignInForm } from "./sign-in";
import { demoAccount, prepareTestData, type SeedOptions, type TestData } from "./test-data";

export interface BrowserSession {
  data: TestData;
  server: AppServer;
  page: Page;
  url(pathname: string): string;
  /** A full-page screenshot in test-artifacts/screenshots/<database kind>/. */
  shoot(name: string): Promise<void>;
  setWidth(width: (typeof widths)[number]): Promise<void>;
  /** A page of the app, once its main heading is in place (some pages stream after a loading state). */
  open(pathname: string): Promise<void>;
  /** A tRPC procedure called from the page as the signed-in person: its HTTP status and answer. */
  call(procedure: string, input: unknown): Promise<{ status: number; json: TrpcAnswer }>;
  /** What has focus: its tag, id, text and aria-label. */
  focused(): Promise<{ tag?: string; id?: string; text?: string; label?: string | null }>;
  close(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: a procedure's answer, read by each test as it needs
type TrpcAnswer = { result?: { data?: any }; error?: { message: string } };

/**
 * A fresh database (or `data`, which the session then disposes), the production app server on it, and Chromium
 * signed in as the demo OWNER. `beforeSignIn` runs on the page first (e.g. to install Playwright's fake clock,
 * which must precede the first navigation); `env` is added to the server's environment (e.g.
 * WEBHOOK_ALLOW_PRIVATE=1 for a receiver on loopback), `seed` says what else a fresh database holds.
 */
export async function startBrowserSession(
  beforeSignIn?: (page: Page) => Promise<void>,
  { env = {}, seed, data: given }: { env?: Record<string, string>; seed?: SeedOptions; data?: TestData } = {},
): Promise<BrowserSession> {
  const data = given ?? (await prepareTestData(seed));
  const screenshots = path.resolve(import.meta.dirname, "../../test-artifacts/screenshots", data.kind.toLowerCase());
  await mkdir(screenshots, { recursive: true });
  const [server, browser] = await Promise.all([startAppServer({ ...data.env, ...env }), launchChromium()]);
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(15_000);
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.baseUrl });
  await beforeSignIn?.(page);
  const url = (pathname: string) => `${server.baseUrl}${pathname}`;
  await page.goto(url("/sign-in"));
  await submitSignInForm(page, demoAccount);
  await page.waitForURL(url("/"));
  return {
    data,
    server,
    page,
    url,
    shoot: async (name) => {
      await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
    },
    setWidth: (width) => page.setViewportSize({ width: width.width, height: width.height }),
    async open(pathname) {
      await page.goto(url(pathname));
      await page.locator("main h1").filter({ visible: true }).first().waitFor();
    },
    call: (procedure, input) =>
      page.evaluate(
        async ({ procedure, input }) => {
          const headers = { "content-type": "application/json" };
          const response = await fetch(`/api/trpc/${procedure}`, {
            method: "POST",
            headers,
            body: JSON.stringify(input),
          });
          return { status: response.status, json: await response.json() };
        },
        { procedure, input },
      ),
    focused: () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return { tag: el?.tagName.toLowerCase(), id: el?.id, text: el?.textContent?.trim(), label: el?.ariaLabel };
      }),
    async close() {
      await browser.close();
      await server.stop();
      await data.dispose();
    },
  };
}

/** Opens a key's Actions menu (in `scope`: the page or a row) and chooses one of its items. */
export async function chooseKeyAction(scope: Page | Locator, keyName: string, item: "Rotate…" | "Delete…") {
  const button = scope
    .getByRole("button", { name: `Actions for ${keyName}` })
    .filter({ visible: true })
    .first();
  await button.click();
  const menu = scope.getByRole("menu", { name: `Actions for ${keyName}` });
  await menu.getByRole("menuitem", { name: item }).click();
}

/** The one announcement on the page says `message` and is on screen. */
export async function expectAnnounced(page: Page, message: string) {
  const status = page.getByRole("status").filter({ hasText: message });
  await expect.poll(() => status.count(), { message: `announced: ${message}` }).toBe(1);
  expect(await status.isVisible(), `${message} is visible`).toBe(true);
  const box = (await status.boundingBox())!;
  const viewport = page.viewportSize()!;
  expect(box.x + box.width, "the announcement fits the window").toBeLessThanOrEqual(viewport.width);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
}
