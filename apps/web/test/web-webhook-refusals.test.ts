import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { type BrowserSession, startBrowserSession } from "./support/browser-session";

/**
 * The add-endpoint dialog shows the server's refusals, which the shared schema cannot know (it has no DNS and no
 * settings): a server as deployed, without WEBHOOK_ALLOW_PRIVATE, refuses plain http and loopback hosts.
 */

let s: BrowserSession;

beforeAll(async () => {
  s = await startBrowserSession();
});
afterAll(() => s?.close());

describe("the add-endpoint dialog", () => {
  it("shows the server's refusal of a loopback host and of plain http, and keeps what was typed", async () => {
    const { page } = s;
    await s.open("/");
    await page.getByRole("link", { name: /^Webhooks of / }).click();
    await page.getByRole("heading", { level: 1, name: "Webhooks" }).waitFor();
    await page.getByRole("button", { name: "Add endpoint", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Add a webhook endpoint" });
    const url = dialog.getByLabel("Endpoint URL");

    for (const [typed, refusal] of [
      ["https://localhost/hooks", /host localhost is not a public address/],
      ["https://127.0.0.1:8443/hooks", /host 127\.0\.0\.1 is not a public address/],
      ["http://example.com/hooks", /must start with https:\/\//],
    ] as const) {
      const answered = page.waitForResponse((r) => r.url().includes("createWebhookEndpoint"));
      await url.fill(typed);
      await url.press("Enter");
      expect((await answered).status()).toBe(400);
      await dialog.getByRole("alert").filter({ hasText: refusal }).waitFor();
      expect(await url.inputValue()).toBe(typed);
      expect(await dialog.isVisible()).toBe(true);
    }
    await expectAccessible(page, "the server's refusal in the add-endpoint dialog");
    await s.shoot("webhooks-refused-url");
    await page.keyboard.press("Escape");
    await page.getByText("No webhook endpoints yet").waitFor();
  });
});
