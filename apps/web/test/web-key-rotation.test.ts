import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { type BrowserSession, chooseKeyAction, startBrowserSession } from "./support/browser-session";
import { expectNoHorizontalScroll, widths } from "./support/layout";

/**
 * After a rotation the old key says it is the old one and how long it has left, live ("Old key,
 * expires in 59 minutes", counting down), and the new key says it is new. The old key can be deleted (to end its
 * grace early) but not rotated again, and the server refuses that rotation too.
 */

let s: BrowserSession;

beforeAll(async () => {
  // Playwright's clock: time flows as usual, and the test can move it on to see the marks count down.
  s = await startBrowserSession((page) => page.clock.install());
});
afterAll(() => s?.close());

const row = (key: string) => s.page.locator(`tbody tr:has(code:text-is("${key}"))`).filter({ visible: true });

describe("a rotated key", () => {
  for (const width of widths) {
    it(`is marked as the old key with its time left, live, beside the new one at ${width.width} px`, async () => {
      const { page } = s;
      await s.setWidth(width);
      const name = `Gateway ${width.name}`;
      const created = await s.call("createAiApiKey", { repoId: s.data.repoId, name, aiType: "OPENAI" });
      expect(created.status).toBe(200);
      const { id: oldId, key: oldKey } = created.json.result!.data;
      await s.open(`/repos/${s.data.repoId}`);

      await chooseKeyAction(row(oldKey), name, "Rotate…");
      const confirm = page.getByRole("dialog", { name: `Rotate “${name}”?` });
      await confirm.getByLabel("Grace period for the old key").selectOption("3600");
      await confirm.getByRole("button", { name: "Rotate key" }).click();
      const reveal = page.getByRole("dialog", { name: `Key “${name}” rotated` });
      const newKey = await reveal.getByLabel("Public key", { exact: true }).inputValue();
      await reveal.getByRole("button", { name: "I have copied it" }).click();

      const oldRow = row(oldKey);
      const newRow = row(newKey);
      await newRow.waitFor();
      // its expiry as the time left, not a date, the exact time kept in its title; 59 minutes on the first run,
      // less on later ones (the page's clock keeps the two minutes each run moves it on)
      const expires = oldRow.locator('td[data-label="Expires"] time');
      const minutesLeft = async () => Number((await expires.textContent())?.match(/^in (\d+) minutes$/)?.[1]);
      const left = await minutesLeft();
      if (width === widths[0]) expect(left).toBe(59);
      expect(left).toBeGreaterThanOrEqual(50);
      await oldRow.getByText(`Old key, expires in ${left} minutes`).waitFor();
      expect(await expires.getAttribute("title")).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
      expect(await newRow.getByText("New key", { exact: true }).isVisible()).toBe(true);
      expect(await newRow.getByText(/Old key/).count()).toBe(0);
      expect(await oldRow.getByText("New key", { exact: true }).count()).toBe(0);
      await expectNoHorizontalScroll(page, `rotated keys at ${width.width}`);
      await expectAccessible(page, `rotated keys at ${width.width}`);
      await s.shoot(`rotation-marks-${width.name}`);

      // live: two minutes on, with no reload and no refetch
      await page.clock.fastForward("02:00");
      await expect.poll(minutesLeft).toBeLessThanOrEqual(left - 2);
      expect(await minutesLeft()).toBeGreaterThanOrEqual(left - 3);
      await oldRow.getByText(`Old key, expires in ${await minutesLeft()} minutes`).waitFor();

      // the old key offers Delete only; the new one both
      await oldRow.getByRole("button", { name: `Actions for ${name}` }).click();
      const oldMenu = oldRow.getByRole("menu", { name: `Actions for ${name}` });
      expect(await oldMenu.getByRole("menuitem").allTextContents()).toEqual(["Delete…"]);
      await expectAccessible(page, `the old key's menu at ${width.width}`);
      await page.keyboard.press("Escape");
      await newRow.getByRole("button", { name: `Actions for ${name}` }).click();
      const newMenu = newRow.getByRole("menu", { name: `Actions for ${name}` });
      expect(await newMenu.getByRole("menuitem").allTextContents()).toEqual(["Rotate…", "Delete…"]);
      await page.keyboard.press("Escape");

      // the server agrees: the old key cannot be rotated again
      const again = await s.call("rotateAiApiKey", { repoId: s.data.repoId, apikeyId: oldId, graceSeconds: 0 });
      expect(again.status).toBe(409);
      expect(again.json.error!.message).toMatch(/already rotated: rotate the key that replaced it/);

      // deleting the old key ends its grace; the new key is then simply the key
      await chooseKeyAction(oldRow, name, "Delete…");
      const remove = page.getByRole("dialog", { name: `Delete “${name}”?` });
      expect(await remove.textContent()).toContain("before its grace period ends (its new key is not affected)");
      await remove.getByRole("button", { name: "Delete key" }).click();
      await oldRow.waitFor({ state: "detached" });
      await expect.poll(() => newRow.getByText("New key", { exact: true }).count()).toBe(0);
    });
  }
});
