import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSession, expectAnnounced, startBrowserSession } from "./support/browser-session";

/**
 * A repository of many keys: the keys table loads 1,000 at a time (the server's largest page, with usage) and
 * follows the server's cursor when asked for more, so opening a repository never loads all of its keys at once.
 */

const bulkKeys = 1_500;
let s: BrowserSession;
let repoId: string;

beforeAll(async () => {
  s = await startBrowserSession(undefined, { seed: { extraRepos: ["many keys"], bulkKeys } });
  repoId = s.data.extraRepoIds[0]!;
});
afterAll(() => s?.close());

const rows = () => s.page.locator("tbody tr").filter({ visible: true });
// CSS rather than role locators: computing every accessible name of 1,500 rows takes Playwright minutes.
const pager = () => s.page.locator("nav.pager");

describe("the keys table of a repository with many keys", () => {
  it("shows the newest 1,000, then loads the next page with its usage when asked", async () => {
    const { page } = s;
    const listed: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/api/trpc/listAiApiKeys")) listed.push(decodeURIComponent(request.url()));
    });
    await s.open(`/repos/${repoId}`);
    expect(await rows().count()).toBe(1_000);
    await page.getByText("The newest 1000 keys are shown.").waitFor();
    expect(await rows().first().textContent()).toContain("bulk key 1");
    expect(await page.getByText(`bulk key ${bulkKeys}`, { exact: true }).count()).toBe(0);

    expect(await pager().getAttribute("aria-label")).toBe("Key pages");
    const more = pager().locator("button");
    expect(await more.textContent()).toBe("Load 1,000 more");
    await more.click();
    await expectAnnounced(page, `${bulkKeys - 1_000} older keys shown: these are all the keys.`);
    expect(await rows().count()).toBe(bulkKeys);
    expect(await pager().count()).toBe(0);
    await page.getByText(`${bulkKeys} keys.`).waitFor();
    // The oldest key's usage came with its page.
    const chart = `Usage of bulk key ${bulkKeys}: 42 verifications in the last 30 days`;
    expect(await page.locator(`[role="img"][aria-label="${chart}"]`).count()).toBe(1);
    // One request for the second page, of at most 1,000 keys after the first page's cursor.
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatch(/"limit":1000/);
    expect(listed[0]).toMatch(/"cursor":"[A-Za-z0-9_-]+"/);
  });
});
