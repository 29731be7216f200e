import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { type BrowserSession, chooseKeyAction, expectAnnounced, startBrowserSession } from "./support/browser-session";
import { expectNoHorizontalScroll, widths } from "./support/layout";

/**
 * Every action says what happened, once, in one place (a toast people see, which is also the live
 * region screen readers read): create, rename, rotate and delete a key, create and revoke a token. After a
 * rename focus stays on the row (its Rename button), never on the page's body.
 */

let s: BrowserSession;

beforeAll(async () => {
  s = await startBrowserSession();
});
afterAll(() => s?.close());

/** Presses a button in a dialog, as the person finishing that step would. */
const inDialog = (dialog: string, button: string) =>
  s.page.getByRole("dialog", { name: dialog }).getByRole("button", { name: button }).click();

describe("each action", () => {
  for (const width of widths) {
    it(`is announced, and a rename keeps focus on its row, at ${width.width} px`, async () => {
      const { page } = s;
      await s.setWidth(width);
      const name = `Checkout ${width.name}`;
      const renamed = `${name} (production)`;
      await s.call("createAiApiKey", { repoId: s.data.repoId, name, aiType: "OPENAI" });
      await s.open(`/repos/${s.data.repoId}`);

      await page
        .getByRole("button", { name: `Rename ${name}` })
        .filter({ visible: true })
        .click();
      const input = page.getByLabel(`New name for ${name}`).filter({ visible: true });
      await input.fill(renamed);
      await input.press("Enter");
      await expect.poll(s.focused).toMatchObject({ tag: "button", label: `Rename ${renamed}` });
      await expectAnnounced(page, `Key “${name}” renamed to “${renamed}”.`);
      expect((await s.focused()).tag).toBe("button"); // still there once saved
      await expectAccessible(page, `a rename's announcement at ${width.width}`);
      await expectNoHorizontalScroll(page, `a rename's announcement at ${width.width}`);
      await s.shoot(`announce-rename-${width.name}`);

      await page.getByRole("button", { name: "Create key", exact: true }).click();
      const create = page.getByRole("dialog", { name: "Create an AI API key" });
      const second = `Worker ${width.name}`;
      await create.getByLabel("Name").fill(second);
      await create.getByRole("button", { name: "Create key" }).click();
      await inDialog(`Key “${second}” created`, "I have copied it");
      await expectAnnounced(page, `Key “${second}” created.`);

      await chooseKeyAction(page, second, "Rotate…");
      await inDialog(`Rotate “${second}”?`, "Rotate key");
      await inDialog(`Key “${second}” rotated`, "I have copied it");
      await expectAnnounced(page, `Key “${second}” rotated. The old key works until`);
      expect(await page.getByRole("status").filter({ hasText: "Key “" }).textContent()).toMatch(
        /The old key works until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, in 23 hours\./,
      );

      await chooseKeyAction(page, renamed, "Delete…");
      await inDialog(`Delete “${renamed}”?`, "Delete key");
      await expectAnnounced(page, `Key “${renamed}” deleted.`);
      await expect.poll(s.focused).toMatchObject({ id: "keys-heading" });

      await s.open("/tokens");
      const token = `deploy ${width.name}`;
      await page.getByLabel("Name").fill(token);
      await page.getByRole("button", { name: "Create token" }).click();
      await inDialog(`Token “${token}” created`, "I have copied it");
      await expectAnnounced(page, `Token “${token}” created.`);
      await expectAccessible(page, `a new token's announcement at ${width.width}`);
      await page
        .getByRole("button", { name: `Revoke ${token}` })
        .filter({ visible: true })
        .click();
      await inDialog(`Revoke “${token}”?`, "Revoke token");
      await expectAnnounced(page, `Token “${token}” revoked.`);
      await s.shoot(`announce-revoke-${width.name}`);
    });
  }
});
