import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "./support/app-server";
import { expectAccessible } from "./support/axe";
import { type BrowserSession, startBrowserSession } from "./support/browser-session";
import { expectNoHorizontalScroll, widths } from "./support/layout";
import type { TestData } from "./support/test-data";

/**
 * A name longer than the server allows is shown whole with a counter and the server's rule, and nothing
 * is saved until it is fixed (the input's maxLength used to cut a pasted 150-character name to 100 and save it).
 * The same for an API token's name.
 */

const tooLong = `checkout-${"x".repeat(141)}`; // 150 characters
expect(tooLong).toHaveLength(150);

let session: BrowserSession;
let data: TestData;
let server: AppServer;
let page: Page;
const writes: string[] = [];

beforeAll(async () => {
  session = await startBrowserSession(async (p) => {
    p.on("request", (r) => {
      if (/\/api\/trpc\/(createAiApiKey|updateAiApiKey|createApiToken)/.test(r.url())) writes.push(r.url());
    });
  });
  ({ data, server, page } = session);
  const { status } = await session.call("createAiApiKey", { repoId: data.repoId, name: "Demo key", aiType: "OPENAI" });
  expect(status).toBe(200);
});

afterAll(() => session?.close());

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
      await session.shoot(`name-too-long-create-${width.name}`);
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
      await session.shoot(`name-too-long-rename-${width.name}`);
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
      await session.shoot(`name-too-long-token-${width.name}`);
      await paste(name, tooLong.slice(0, 100));
      await page.getByText("100 / 100 characters", { exact: true }).waitFor();
      expect(writes).toEqual([]);
    });
  }
});
