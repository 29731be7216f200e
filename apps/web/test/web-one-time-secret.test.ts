import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "./support/app-server";
import { expectAccessible } from "./support/axe";
import { type BrowserSession, startBrowserSession } from "./support/browser-session";
import { widths } from "./support/layout";
import type { TestData } from "./support/test-data";

/**
 * A minted token's field shows its start (the prefix) when focused, and Escape after Copy closes
 * without asking as if nothing had been copied.
 */

let session: BrowserSession;
let data: TestData;
let server: AppServer;
let page: Page;

beforeAll(async () => {
  session = await startBrowserSession();
  ({ data, server, page } = session);
});

afterAll(() => session?.close());

describe("a value shown once", () => {
  for (const width of widths) {
    it(`shows the token's prefix when focused and closes on Escape once copied at ${width.width} px`, async () => {
      await page.setViewportSize({ width: width.width, height: width.height });
      await page.goto(`${server.baseUrl}/tokens`);
      await page.getByLabel("Name").fill(`deploy ${width.name}`);
      await page.getByRole("button", { name: "Create token" }).click();
      const reveal = page.getByRole("dialog", { name: `Token “deploy ${width.name}” created` });
      const field = reveal.getByLabel("API token", { exact: true });
      await field.focus();
      await expect.poll(() => field.evaluate((el: HTMLInputElement) => el.scrollLeft)).toBe(0);
      const shown = await field.evaluate((el: HTMLInputElement) => ({
        scrollLeft: el.scrollLeft,
        overflows: el.scrollWidth > el.clientWidth,
        selected: el.selectionEnd! - el.selectionStart!,
        length: el.value.length,
      }));
      if (width.width === 390) expect(shown.overflows, "the token is wider than its field at 390").toBe(true);
      expect(shown.scrollLeft).toBe(0);
      expect(shown.selected).toBe(shown.length); // still all selected, ready to copy by hand
      await session.shoot(`token-shown-once-${width.name}`);

      await reveal.getByRole("button", { name: "Copy API token" }).click();
      await reveal.getByRole("button", { name: "Copied API token" }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await field.inputValue());
      await expectAccessible(page, `the token's one-time dialog after Copy at ${width.width}`);
      await page.keyboard.press("Escape");
      await reveal.waitFor({ state: "hidden" });
      expect(await page.getByRole("alertdialog").count()).toBe(0);
    });
  }

  it("still asks on Escape when only a key's public key was copied, not once its secret was", async () => {
    await page.goto(`${server.baseUrl}/repos/${data.repoId}`);
    await page.getByRole("button", { name: "Create key", exact: true }).click();
    await page.getByRole("dialog", { name: "Create an AI API key" }).getByLabel("Name").fill("Billing worker");
    await page.getByRole("button", { name: "Create key" }).filter({ visible: true }).last().click();
    const reveal = page.getByRole("dialog", { name: "Key “Billing worker” created" });
    await reveal.getByRole("button", { name: "Copy Public key" }).click();
    await page.keyboard.press("Escape");
    const question = reveal.getByRole("alertdialog", { name: /Close without copying/ });
    await question.waitFor();
    await question.getByRole("button", { name: "Keep it open" }).click();
    await reveal.getByRole("button", { name: "Copy Secret" }).click();
    await reveal.getByRole("button", { name: "Copied Secret" }).waitFor();
    await page.keyboard.press("Escape");
    await reveal.waitFor({ state: "hidden" });
    expect(await question.count()).toBe(0);
  });
});
