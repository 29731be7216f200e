import path from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";

export const widths = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "tablet", width: 768, height: 1024 },
  { name: "phone", width: 390, height: 844 },
] as const;

/** The page does not scroll sideways: nothing is wider than the window. */
export async function expectNoHorizontalScroll(page: Page, where: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `${where} scrolls sideways`).toBeLessThanOrEqual(clientWidth);
}

/** Elements that stick out past the window's right edge (for a readable failure message). */
export async function elementsPastRightEdge(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll("main *, aside *")]
      .filter((el) => {
        if (el.closest("thead, .visually-hidden")) return false; // clipped to 1 px: they cannot widen the page
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > width + 0.5 && getComputedStyle(el).visibility !== "hidden";
      })
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} "${el.textContent?.slice(0, 30)}"`)
      .slice(0, 5);
  });
}

export const screenshotPath = (dir: string, name: string) => path.join(dir, `${name}.png`);
