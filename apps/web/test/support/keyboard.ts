import { expect } from "vitest";
import type { BrowserSession } from "./browser-session";

/** Presses Tab until an element whose text or aria-label holds `name` has focus, as a keyboard-only person would. */
export async function pressTabUntil(s: BrowserSession, name: string, most = 60): Promise<void> {
  for (let i = 0; i < most; i++) {
    await s.page.keyboard.press("Tab");
    const focused = await s.focused();
    if (`${focused.label ?? ""} ${focused.text ?? ""}`.includes(name)) return;
  }
  throw new Error(`${name} is not reachable with Tab`);
}

/** Opens the menu button named `menuName` with ArrowDown, moves to `item` with the arrows and chooses it with Enter. */
export async function chooseMenuItemByKeyboard(s: BrowserSession, menuName: string, item: string): Promise<void> {
  const { page } = s;
  await page.getByRole("button", { name: menuName, exact: true }).filter({ visible: true }).focus();
  await page.keyboard.press("ArrowDown");
  const items = await page.getByRole("menu", { name: menuName, exact: true }).getByRole("menuitem").allTextContents();
  expect(items).toContain(item);
  await expect.poll(async () => (await s.focused()).text).toBe(items[0]);
  for (let i = 0; i < items.indexOf(item); i++) await page.keyboard.press("ArrowDown");
  await expect.poll(async () => (await s.focused()).text).toBe(item);
  await page.keyboard.press("Enter");
}
