import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { type BrowserSession, startBrowserSession } from "./support/browser-session";
import { expectNoHorizontalScroll, widths } from "./support/layout";

/**
 * The audit filters name a deleted key by its last name, give the "rotated" event words,
 * and explain an inverted time range instead of applying it; the Change column (and an email) is shown in full,
 * wrapped, at every width.
 */

let s: BrowserSession;
let deletedId: string;
const longName = "Checkout service (production, EU region, primary)";

beforeAll(async () => {
  s = await startBrowserSession();
  const repoId = s.data.repoId;
  const create = async (name: string) =>
    (await s.call("createAiApiKey", { repoId, name, aiType: "OPENAI" })).json.result!.data.id as string;
  const checkout = await create("Checkout service");
  expect((await s.call("updateAiApiKey", { repoId, apikeyId: checkout, name: longName })).status).toBe(200);
  expect((await s.call("rotateAiApiKey", { repoId, apikeyId: checkout, graceSeconds: 3600 })).status).toBe(200);
  deletedId = await create("Legacy worker");
  expect((await s.call("updateAiApiKey", { repoId, apikeyId: deletedId, name: "Legacy worker (old)" })).status).toBe(
    200,
  );
  expect((await s.call("deleteAiApiKey", { repoId, apikeyId: deletedId })).status).toBe(200);
});
afterAll(() => s?.close());

const audit = (query = "") => s.open(`/repos/${s.data.repoId}/audit${query}`);

describe("the audit filters", () => {
  for (const width of widths) {
    it(`name a deleted key, every event, and refuse an inverted time range at ${width.width} px`, async () => {
      const { page } = s;
      await s.setWidth(width);
      // a deleted key with no event on the page (none of its events is a rotation): its last name, not its id
      await audit(`?key=${deletedId}&event=rotated`);
      await page.getByRole("heading", { name: "No events match these filters" }).waitFor();
      const key = page.getByLabel("Key", { exact: true });
      expect(await key.inputValue()).toBe(deletedId);
      expect(await key.locator("option:checked").textContent()).toBe("Legacy worker (old) (deleted)");
      const events = await page.getByLabel("Event", { exact: true }).locator("option").allTextContents();
      expect(events).toEqual(["Any event", "Key created", "Key renamed", "Key deleted", "Key rotated"]);
      await expectAccessible(page, `filters of a deleted key at ${width.width}`);

      await audit("?from=2026-12-02T10:00&to=2026-12-01T10:00");
      const problem = page.getByRole("alert").filter({ hasText: "From must be before To" });
      await problem.waitFor();
      expect(await problem.textContent()).toBe("From must be before To. The time range is not applied.");
      for (const field of ["From (UTC)", "To (UTC)"]) {
        const input = page.getByLabel(field);
        expect(await input.getAttribute("aria-invalid")).toBe("true");
        expect(await input.getAttribute("aria-describedby")).toBe("filter-range-problem");
      }
      expect(await page.getByLabel("From (UTC)").inputValue()).toBe("2026-12-02T10:00");
      // not applied: the trail is listed as without it
      await page.getByRole("heading", { name: "6 events" }).waitFor();
      await expectNoHorizontalScroll(page, `an inverted range at ${width.width}`);
      await expectAccessible(page, `an inverted range at ${width.width}`);
      await s.shoot(`audit-inverted-range-${width.name}`);
    });
  }
});

describe("the audit table", () => {
  for (const width of widths) {
    it(`shows each change before → after in full, and emails whole, at ${width.width} px`, async () => {
      const { page } = s;
      await s.setWidth(width);
      await audit();
      const rename = page.locator("tbody tr").filter({ visible: true }).filter({ hasText: "Key renamed" }).last();
      const change = rename.locator('td[data-label="Change"] dd');
      // "from" and "to" are for screen readers; the eye reads "old → new"
      expect((await change.textContent())?.replace(/\s+/g, " ")).toBe(`from Checkout service → to ${longName}`);
      const cut = await page.evaluate(() =>
        [...document.querySelectorAll('td[data-label="Change"] dd, td[data-label="Who"] .muted')]
          .filter((el) => el.scrollWidth > el.clientWidth + 1)
          .map((el) => el.textContent),
      );
      expect(cut, "values cut short").toEqual([]);
      // a rotation: the time as the When column writes it, the name it kept said once
      const rotation = page.locator("tbody tr").filter({ visible: true }).filter({ hasText: "Key rotated" });
      const rotated = (await rotation.locator('td[data-label="Change"]').textContent())?.replace(/\s+/g, " ");
      expect(rotated).toMatch(/Expires ?from — → to \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
      expect(rotated?.split(longName)).toHaveLength(2);
      if (width === widths[0]) {
        const cell = (await rename.locator('td[data-label="Change"]').boundingBox())!;
        expect(cell.width, "Change is the widest column at 1280").toBeGreaterThan(240);
      }
      const email = rename.locator('td[data-label="Who"] .muted');
      expect(await email.textContent()).toContain("@");
      await expectNoHorizontalScroll(page, `the audit table at ${width.width}`);
      await expectAccessible(page, `the audit table at ${width.width}`);
      await s.shoot(`audit-changes-${width.name}`);
    });
  }
});
