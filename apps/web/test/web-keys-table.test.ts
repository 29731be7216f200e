import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { type BrowserSession, startBrowserSession } from "./support/browser-session";
import { expectNoHorizontalScroll, widths } from "./support/layout";

/**
 * Each key's public key has its own Copy button; Rotate and Delete are in one Actions menu (keyboard,
 * Escape and focus return as the WAI-ARIA menu button pattern has them), so rows stay one action high; "never
 * used" stays on one line; a long name is shown whole, wrapped.
 */

let s: BrowserSession;
const longName = `Checkout service for the EU region, production traffic, primary cluster ${"x".repeat(28)}`;
const shortName = "Billing worker";
let shortKey: string;

beforeAll(async () => {
  s = await startBrowserSession();
  expect(longName).toHaveLength(100);
  for (const name of [longName, shortName]) {
    const created = await s.call("createAiApiKey", { repoId: s.data.repoId, name, aiType: "OPENAI" });
    expect(created.status).toBe(200);
    shortKey = created.json.result!.data.key;
  }
});
afterAll(() => s?.close());

const rowOf = (name: string) =>
  s.page
    .locator("tbody tr")
    .filter({ visible: true })
    .filter({ has: s.page.getByText(name, { exact: true }) });

describe("the keys table", () => {
  for (const width of widths) {
    it(`copies a public key in its row and keeps a key's actions in one menu at ${width.width} px`, async () => {
      const { page } = s;
      await s.setWidth(width);
      await s.open(`/repos/${s.data.repoId}`);
      const row = rowOf(shortName);

      await row.getByRole("button", { name: `Copy public key of ${shortName}` }).click();
      await row.getByRole("button", { name: `Copied public key of ${shortName}` }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shortKey);

      // one button for the row's actions
      const actions = row.locator("td.actions button");
      expect(await actions.count()).toBe(1);
      const menuButton = row.getByRole("button", { name: `Actions for ${shortName}` });
      expect(await menuButton.getAttribute("aria-haspopup")).toBe("menu");
      expect(await menuButton.getAttribute("aria-expanded")).toBe("false");

      // the keyboard: Enter opens on the first item, the arrows wrap, End, Escape back to the button
      await menuButton.focus();
      await page.keyboard.press("Enter");
      const menu = row.getByRole("menu", { name: `Actions for ${shortName}` });
      await menu.waitFor();
      expect(await menuButton.getAttribute("aria-expanded")).toBe("true");
      await expect.poll(s.focused).toMatchObject({ text: "Rotate…" });
      await page.keyboard.press("ArrowDown");
      await expect.poll(s.focused).toMatchObject({ text: "Delete…" });
      await page.keyboard.press("ArrowDown");
      await expect.poll(s.focused).toMatchObject({ text: "Rotate…" });
      await page.keyboard.press("End");
      await expect.poll(s.focused).toMatchObject({ text: "Delete…" });
      await expectAccessible(page, `the actions menu at ${width.width}`);
      const box = (await menu.boundingBox())!;
      expect(box.x, "the menu is on screen").toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width.width);
      await s.shoot(`keys-actions-menu-${width.name}`);
      await page.keyboard.press("Escape");
      await menu.waitFor({ state: "detached" });
      await expect.poll(s.focused).toMatchObject({ text: `Actions for ${shortName}▾` });

      // an action's dialog returns focus to the menu button
      await page.keyboard.press("ArrowUp");
      await expect.poll(s.focused).toMatchObject({ text: "Delete…" });
      await page.keyboard.press("Enter");
      const confirm = page.getByRole("dialog", { name: `Delete “${shortName}”?` });
      await confirm.getByRole("button", { name: "Cancel" }).click();
      await expect.poll(s.focused).toMatchObject({ text: `Actions for ${shortName}▾` });
      // a click elsewhere closes it
      await menuButton.click();
      await menu.waitFor();
      await page.locator("main h1").filter({ visible: true }).first().click();
      await menu.waitFor({ state: "detached" });

      // "never used" on one line; the long name whole, wrapped within its cell
      const never = row.getByText("never used");
      const line = await never.evaluate((el) => Number.parseFloat(getComputedStyle(el).lineHeight));
      expect((await never.boundingBox())!.height).toBeLessThanOrEqual(line + 1);
      const name = rowOf(longName).getByText(longName, { exact: true });
      expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      expect(await name.getAttribute("title")).toBe(longName);
      if (width.width === 1280) {
        // a row is as tall as its content, not as two stacked buttons
        const rowBox = (await row.boundingBox())!;
        expect(rowBox.height).toBeLessThan(70);
      }
      await expectNoHorizontalScroll(page, `the keys table at ${width.width}`);
      await expectAccessible(page, `the keys table at ${width.width}`);
      await s.shoot(`keys-table-${width.name}`);
    });
  }
});
