import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, startAppServer } from "./support/app-server";
import { expectAccessible } from "./support/axe";
import { launchChromium } from "./support/chromium";
import { expectNoHorizontalScroll, widths } from "./support/layout";
import { submitSignInForm } from "./support/sign-in";
import { demoAccount, prepareTestData, type TestData } from "./support/test-data";

/**
 * Issue 24.1: a name longer than the server allows is shown whole with a counter and the server's rule, and nothing
 * is saved until it is fixed (the input's maxLength used to cut a pasted 150-character name to 100 and save it).
 * The same for an API token's name.
 */

const tooLong = `checkout-${"x".repeat(141)}`; // 150 characters
expect(tooLong).toHaveLength(150);

let data: TestData;
let server: AppServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
let screenshots: string;
const writes: string[] = [];

beforeAll(async () => {
  data = await prepareTestData();
  screenshots = path.resolve(import.meta.dirname, "../test-artifacts/screenshots", data.kind.toLowerCase());
  await mkdir(screenshots, { recursive: true });
  [server, browser] = await Promise.all([startAppServer(data.env), launchChromium()]);
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(15_000);
  page.on("request", (r) => {
    if (/\/api\/trpc\/(createAiApiKey|updateAiApiKey|createApiToken)/.test(r.url())) writes.push(r.url());
  });
  await page.goto(`${server.baseUrl}/sign-in`);
  await submitSignInForm(page, demoAccount);
  await page.waitForURL(`${server.baseUrl}/`);
  const status = await page.evaluate(async (repoId) => {
    const body = JSON.stringify({ repoId, name: "Demo key", aiType: "OPENAI" });
    const headers = { "content-type": "application/json" };
    return (await fetch("/api/trpc/createAiApiKey", { method: "POST", headers, body })).status;
  }, data.repoId);
  expect(status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await data?.dispose();
});

/** Pastes as a person would: one insertion, which a maxlength attribute would cut. */
const paste = async (input: ReturnType<Page["getByLabel"]>, text: string) => {
  await input.fill("");
  await input.focus();
  await page.keyboard.insertText(text);
};

describe("a name longer than the server allows", () => {
  for (const width of widths) {
    it(`is kept whole, counted and refused before sending at ${width.width} px`, async () => {
      await page.setViewportSize({ width: width.width, height: width.height });
      await page.goto(`${server.baseUrl}/repos/${data.repoId}`);
      await page.locator("main h1").filter({ visible: true }).first().waitFor();
      writes.length = 0;

      await page.getByRole("button", { name: "Create key", exact: true }).click();
      const dialog = page.getByRole("dialog", { name: "Create an AI API key" });
      const name = dialog.getByLabel("Name");
      await paste(name, tooLong);
      expect(await name.inputValue()).toBe(tooLong);
      await dialog.getByText("150 / 100 characters: 50 too many").waitFor();
      expect(await dialog.getByText("Up to 100 characters.").isVisible()).toBe(true);
      await dialog.getByRole("button", { name: "Create key" }).click();
      await dialog.getByRole("alert").filter({ hasText: "Name must be at most 100 characters." }).waitFor();
      expect(await name.getAttribute("aria-invalid")).toBe("true");
      expect(await name.inputValue()).toBe(tooLong);
      await expectNoHorizontalScroll(page, `create-key dialog with a long name at ${width.width}`);
      await expectAccessible(page, `create-key dialog with a long name at ${width.width}`);
      await page.screenshot({ path: path.join(screenshots, `name-too-long-create-${width.name}.png`) });
      // fixed, it is saved as shown
      await paste(name, tooLong.slice(0, 100));
      await dialog.getByText("100 / 100 characters", { exact: true }).waitFor();
      await dialog.getByRole("button", { name: "Cancel" }).click();

      const rename = page.getByRole("button", { name: "Rename Demo key" }).filter({ visible: true });
      await rename.click();
      const input = page.getByLabel("New name for Demo key").filter({ visible: true });
      await paste(input, tooLong);
      expect(await input.inputValue()).toBe(tooLong);
      await page.getByText("150 / 100 characters: 50 too many").filter({ visible: true }).waitFor();
      await input.press("Enter");
      await page.getByRole("alert").filter({ hasText: "Name must be at most 100 characters." }).waitFor();
      expect(await input.inputValue()).toBe(tooLong);
      await expectNoHorizontalScroll(page, `rename with a long name at ${width.width}`);
      await expectAccessible(page, `rename with a long name at ${width.width}`);
      await page.screenshot({ path: path.join(screenshots, `name-too-long-rename-${width.name}.png`) });
      await input.press("Escape");
      expect(writes).toEqual([]);
    });
  }
});

describe("a token name longer than the server allows", () => {
  for (const width of widths) {
    it(`is kept whole, counted and refused before sending at ${width.width} px`, async () => {
      await page.setViewportSize({ width: width.width, height: width.height });
      await page.goto(`${server.baseUrl}/tokens`);
      writes.length = 0;
      const name = page.getByLabel("Name");
      expect(await name.getAttribute("maxlength")).toBeNull();
      await paste(name, tooLong);
      expect(await name.inputValue()).toBe(tooLong);
      await page.getByText("150 / 100 characters: 50 too many").waitFor();
      expect(await name.getAttribute("aria-describedby")).toContain("token-name-length");
      await page.getByRole("button", { name: "Create token" }).click();
      await page.getByRole("alert").filter({ hasText: "Name must be at most 100 characters." }).waitFor();
      expect(await name.getAttribute("aria-invalid")).toBe("true");
      expect(await name.inputValue()).toBe(tooLong);
      await expectNoHorizontalScroll(page, `token form with a long name at ${width.width}`);
      await expectAccessible(page, `token form with a long name at ${width.width}`);
      await page.screenshot({ path: path.join(screenshots, `name-too-long-token-${width.name}.png`) });
      await paste(name, tooLong.slice(0, 100));
      await page.getByText("100 / 100 characters", { exact: true }).waitFor();
      expect(writes).toEqual([]);
    });
  }
});
