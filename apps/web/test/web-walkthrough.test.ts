// A person's walk through the web app in one production server and one Chromium: sign-in, one-time secrets,
// names checked before sending, focus after dialogs, the audit trail and its export, missing pages. One file past
// 300 lines on purpose: its cases share one server, database and browser, which a file each would start again.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, startAppServer } from "./support/app-server";
import { expectAccessible } from "./support/axe";
import { chooseKeyAction } from "./support/browser-session";
import { launchChromium } from "./support/chromium";
import { elementsPastRightEdge, expectNoHorizontalScroll, widths } from "./support/layout";
import { submitSignInForm } from "./support/sign-in";
import { demoAccount, prepareTestData, type TestData, viewerAccount } from "./support/test-data";

/**
 * The web app as people use it: at 1280, 768 and 390 px, with 100-character names, with the keyboard,
 * checked by axe-core, with screenshots of every page at every width under test-artifacts/screenshots/.
 */

const longWorkspace = `Workspace${"W".repeat(91)}`;
const longRepo = `Repository${"R".repeat(90)}`;
const longKey = `checkout-service-production-eu-west${"x".repeat(65)}`; // 100 characters, no spaces
expect(longKey).toHaveLength(100);

let data: TestData;
let server: AppServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;
let page: Page;
let screenshots: string;
let longRepoId: string;
const missing: string[] = [];
const cspViolations: string[] = [];

const url = (pathname: string) => `${server.baseUrl}${pathname}`;
const shoot = (name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
const trpcCalls = (procedure: string) => {
  const calls: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes(`/api/trpc/${procedure}`)) calls.push(r.url());
  });
  return calls;
};
/** A tRPC call from the page, as the signed-in user (the session cookie goes along). */
const call = (procedure: string, input: unknown) =>
  page.evaluate(
    async ({ procedure, input }) => {
      const response = await fetch(`/api/trpc/${procedure}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(input),
      });
      return { status: response.status, body: (await response.json()) as { result?: { data: unknown } } };
    },
    { procedure, input },
  );
const focusedElement = () =>
  page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase(), id: el?.id, text: el?.textContent?.trim(), label: el?.ariaLabel };
  });
/** A page, once its streamed content is in place (the audit page streams after its loading state). */
const open = async (pathname: string) => {
  await page.goto(url(pathname));
  await page.locator("main h1").filter({ visible: true }).first().waitFor();
};
const setWidth = (width: (typeof widths)[number]) => page.setViewportSize({ width: width.width, height: width.height });

beforeAll(async () => {
  data = await prepareTestData({ workspaceName: longWorkspace, extraRepos: [longRepo], bulkEvents: 10_001 });
  longRepoId = data.extraRepoIds[0]!;
  screenshots = path.resolve(import.meta.dirname, "../test-artifacts/screenshots", data.kind.toLowerCase());
  await mkdir(screenshots, { recursive: true });
  [server, browser] = await Promise.all([startAppServer(data.env), launchChromium()]);
  context = browser.context;
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  page.on("response", (r) => {
    if (r.status() === 404 && !r.url().includes("/repos/")) missing.push(r.url());
  });
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) cspViolations.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await data?.dispose();
});

describe("signing in", () => {
  it("is accessible at every width, and puts focus back on the password after a wrong one", async () => {
    for (const width of widths) {
      await setWidth(width);
      await page.goto(url("/sign-in"));
      await expectNoHorizontalScroll(page, `sign-in at ${width.width}`);
      await expectAccessible(page, `sign-in at ${width.width}`);
      await shoot(`sign-in-${width.name}`);
    }
    await setWidth(widths[0]);
    await submitSignInForm(page, { email: demoAccount.email, password: "not-the-password" });
    await page.getByRole("alert").filter({ hasText: "match an account" }).waitFor();
    await expect.poll(focusedElement).toMatchObject({ tag: "input", id: "password" });
    expect(await page.getByLabel("Password").getAttribute("aria-describedby")).toBe("sign-in-error");
    await expectAccessible(page, "sign-in with an error");

    await submitSignInForm(page, demoAccount);
    await page.waitForURL(url("/"));
  });
});

describe("the one-time secret", () => {
  it("asks before Escape closes a new key's secret, and closes at once with “I have copied it”", async () => {
    await open(`/repos/${data.repoId}`);
    await page.getByRole("button", { name: "Create key", exact: true }).click();
    const create = page.getByRole("dialog", { name: "Create an AI API key" });
    await expectAccessible(page, "the create-key dialog");
    await create.getByLabel("Name").fill("Billing worker");
    await create.getByRole("button", { name: "Create key" }).click();
    const reveal = page.getByRole("dialog", { name: "Key “Billing worker” created" });
    await reveal.getByText("You will not see this again.").waitFor();
    await expectAccessible(page, "the key's one-time secret");

    await page.keyboard.press("Escape");
    const question = reveal.getByRole("alertdialog", { name: /Close without copying/ });
    await question.waitFor();
    expect(await reveal.isVisible()).toBe(true);
    await expect.poll(focusedElement).toMatchObject({ text: "Keep it open" });
    await expectAccessible(page, "the close-without-copying question");
    await shoot("key-secret-close-question");
    // a second Escape in a row does not get past the question either
    await page.keyboard.press("Escape");
    expect(await reveal.isVisible()).toBe(true);
    await question.getByRole("button", { name: "Keep it open" }).click();
    expect(await question.count()).toBe(0);
    await expect.poll(focusedElement).toMatchObject({ text: "I have copied it" });

    await page.keyboard.press("Escape");
    await question.getByRole("button", { name: "Close, I don't need it" }).click();
    await reveal.waitFor({ state: "hidden" });
    // focus goes back to the button that started it all
    await expect.poll(focusedElement).toMatchObject({ text: "Create key" });
  });

  it("asks the same before Escape closes a new API token", async () => {
    await page.goto(url("/tokens"));
    await page.getByLabel("Name").fill("deploy script");
    await page.getByRole("button", { name: "Create token" }).click();
    const reveal = page.getByRole("dialog", { name: "Token “deploy script” created" });
    await reveal.getByLabel("API token", { exact: true }).waitFor();
    await expectAccessible(page, "the token's one-time secret");
    await page.keyboard.press("Escape");
    await reveal.getByRole("alertdialog", { name: /Close without copying/ }).waitFor();
    expect(await reveal.isVisible()).toBe(true);
    await reveal.getByRole("button", { name: "I have copied it" }).click();
    await reveal.waitFor({ state: "hidden" });
    await expect.poll(focusedElement).not.toMatchObject({ tag: "body" });
  });
});

describe("names are checked before sending, with the server's schema", () => {
  it("explains an empty, a blank or a too-long key name without a request", async () => {
    await open(`/repos/${data.repoId}`);
    const creates = trpcCalls("createAiApiKey");
    await page.getByRole("button", { name: "Create key", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Create an AI API key" });
    const name = dialog.getByLabel("Name");
    expect(await name.getAttribute("maxlength")).toBeNull(); // it would cut a longer name silently
    for (const [value, message] of [
      ["", "Name must not be empty or only spaces."],
      ["    ", "Name must not be empty or only spaces."],
      ["a\u202Eb", "Name must be valid Unicode text without control characters or invisible characters."],
    ]) {
      await name.fill(value!);
      await dialog.getByRole("button", { name: "Create key" }).click();
      await dialog.getByRole("alert").filter({ hasText: message! }).waitFor();
      expect(await name.getAttribute("aria-invalid")).toBe("true");
      await expect.poll(focusedElement).toMatchObject({ id: "new-key-name" });
    }
    await expectAccessible(page, "the create-key dialog with a name problem");
    await shoot("create-key-name-problem");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(creates).toEqual([]);
  });

  it("explains a blank new name in place; the row never shows a blank name", async () => {
    const renames = trpcCalls("updateAiApiKey");
    await page.getByRole("button", { name: "Rename Billing worker" }).click();
    const input = page.getByLabel("New name for Billing worker");
    expect(await input.getAttribute("maxlength")).toBeNull();
    await input.fill("   ");
    await input.press("Enter");
    await page.getByRole("alert").filter({ hasText: "Name must not be empty or only spaces." }).waitFor();
    expect(await input.isVisible()).toBe(true);
    await input.press("Escape");
    await expect.poll(focusedElement).toMatchObject({ label: "Rename Billing worker" });
    expect(renames).toEqual([]);
  });

  it("still shows the server's refusal (it stays the authority), and clears it when the person moves on", async () => {
    // A proxy (or an outdated page) sends what the page would not: the real server refuses it.
    await page.route("**/api/trpc/updateAiApiKey?*", (route) => {
      const body = JSON.parse(route.request().postData() ?? "{}") as Record<string, { name?: string }>;
      for (const input of Object.values(body)) input.name = " ";
      return route.continue({ postData: JSON.stringify(body) });
    });
    await page.getByRole("button", { name: "Rename Billing worker" }).click();
    await page.getByLabel("New name for Billing worker").fill("Billing worker 2");
    await page.getByLabel("New name for Billing worker").press("Enter");
    const alert = page.getByRole("alert").filter({ hasText: "Not renamed" });
    await alert.waitFor();
    await page.unrouteAll({ behavior: "wait" });
    expect(await alert.textContent()).toContain("Not renamed: Name must not be empty or only spaces.");
    await page.locator("tbody tr").filter({ visible: true }).filter({ hasText: "Billing worker" }).first().waitFor();
    await shoot("rename-refused");

    await page.getByRole("button", { name: "Create key", exact: true }).click();
    await page.getByRole("dialog", { name: "Create an AI API key" }).getByRole("button", { name: "Cancel" }).click();
    expect(await alert.count()).toBe(0);
  });

  it("checks a token name the same way, in a field as tall as its neighbours", async () => {
    await page.goto(url("/tokens"));
    const creates = trpcCalls("createApiToken");
    const name = page.getByLabel("Name");
    await name.fill("   ");
    await page.getByRole("button", { name: "Create token" }).click();
    await page.getByRole("alert").filter({ hasText: "Name must not be empty or only spaces." }).waitFor();
    expect(creates).toEqual([]);
    const nameBox = (await name.boundingBox())!;
    const selectBox = (await page.getByLabel("Expires after").boundingBox())!;
    expect(nameBox.height).toBeLessThanOrEqual(selectBox.height + 2);
    expect(nameBox.height).toBeLessThan(50);
  });
});

describe("focus after a dialog closes", () => {
  it("goes to the key list after a delete, and to the token list after a revoke", async () => {
    await open(`/repos/${data.repoId}`);
    await page.getByRole("button", { name: "Create key", exact: true }).click();
    const create = page.getByRole("dialog", { name: "Create an AI API key" });
    await create.getByLabel("Name").fill("Doomed key");
    await create.getByRole("button", { name: "Create key" }).click();
    await page.getByRole("button", { name: "I have copied it" }).click();
    await chooseKeyAction(page, "Doomed key", "Delete…");
    await expectAccessible(page, "the delete confirmation");
    await page
      .getByRole("dialog", { name: "Delete “Doomed key”?" })
      .getByRole("button", { name: "Delete key" })
      .click();
    await expect.poll(focusedElement).toMatchObject({ id: "keys-heading" });
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Key “Doomed key” deleted." }).count()).toBe(1);

    await page.goto(url("/tokens"));
    await page.getByRole("button", { name: "Revoke deploy script" }).click();
    const revoke = page.getByRole("dialog", { name: "Revoke “deploy script”?" });
    await expectAccessible(page, "the revoke confirmation");
    await revoke.getByRole("button", { name: "Revoke token" }).click();
    await expect.poll(focusedElement).toMatchObject({ id: "tokens-heading" });
  });
});

describe("the audit trail", () => {
  let keyId: string;
  let publicKey: string;

  beforeAll(async () => {
    await open(`/repos/${data.repoId}`);
    const created = await call("createAiApiKey", { repoId: data.repoId, name: "=HYPERLINK(1)", aiType: "OPENAI" });
    expect(created.status).toBe(200);
    ({ id: keyId, key: publicKey } = created.body.result!.data as { id: string; key: string });
    for (let i = 1; i <= 22; i++)
      expect(
        (await call("updateAiApiKey", { repoId: data.repoId, apikeyId: keyId, name: `Renamed ${i}` })).status,
      ).toBe(200);
    expect((await call("deleteAiApiKey", { repoId: data.repoId, apikeyId: keyId })).status).toBe(200);
  });

  it("stops at the last page: a page past it shows the last one", async () => {
    await open(`/repos/${data.repoId}/audit?page=99`);
    await page.waitForURL(/[?&]page=2$/);
    const pager = page.getByRole("navigation", { name: "Audit trail pages" });
    expect(await pager.textContent()).toContain("Page 2 of 2");
    expect(await pager.getByRole("link", { name: "Older" }).count()).toBe(0);
  });

  it("shows exact times, the deleted key, and the AI type as the keys table names it", async () => {
    await open(`/repos/${data.repoId}/audit`);
    const times = await page.locator("tbody time").filter({ visible: true }).allTextContents();
    expect(times.length).toBe(20);
    for (const time of times) expect(time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    const deleted = page.locator("tbody tr").filter({ visible: true }).filter({ hasText: "Key deleted" });
    expect(await deleted.textContent()).toContain(publicKey);
    expect(await deleted.textContent()).toContain("Renamed 22");
    await open(`/repos/${data.repoId}/audit?event=created`);
    const created = page.locator("tbody tr").filter({ visible: true }).filter({ hasText: publicKey });
    expect(
      await created
        .locator("dd")
        .filter({ hasText: /^OpenAI$/ })
        .count(),
    ).toBe(1);
    expect(await page.locator("tbody").filter({ visible: true }).textContent()).not.toContain("OPENAI");
  });

  it("filters by kind of event, channel, key, person and time, in a URL that can be shared", async () => {
    await open(`/repos/${data.repoId}/audit`);
    await page.getByLabel("Event", { exact: true }).selectOption("deleted");
    await page.getByLabel("Channel", { exact: true }).selectOption("web");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/event=deleted/);
    expect(new URL(page.url()).searchParams.get("via")).toBe("web");
    await page.getByRole("heading", { name: "2 events matching the filters" }).waitFor();
    const rows = page.locator("tbody tr").filter({ visible: true });
    expect(await rows.count()).toBe(2); // "Doomed key" and the renamed one
    for (const text of await rows.allTextContents()) expect(text).toContain("Key deleted");
    await shoot("audit-filtered");

    await open(`/repos/${data.repoId}/audit?via=rest`);
    await page.getByRole("heading", { name: "No events match these filters" }).waitFor();

    await open(`/repos/${data.repoId}/audit?key=${keyId}`);
    await page.getByRole("heading", { name: "24 events matching the filters" }).waitFor();
    expect(await page.getByLabel("Key", { exact: true }).inputValue()).toBe(keyId);

    await open(`/repos/${data.repoId}/audit`);
    await page.locator("tbody tr").filter({ visible: true }).first().getByRole("link", { name: "Demo" }).click();
    await page.waitForURL(/person=/);
    const person = new URL(page.url()).searchParams.get("person");
    await open(`/repos/${data.repoId}/audit?person=${person}&event=updated`);
    await page.getByRole("heading", { name: "22 events matching the filters" }).waitFor();

    const future = new Date(Date.now() + 3_600_000).toISOString().slice(0, 19);
    await open(`/repos/${data.repoId}/audit?from=${future}`);
    await page.getByRole("heading", { name: "No events match these filters" }).waitFor();
    await open(`/repos/${data.repoId}/audit?to=${future}&key=${keyId}`);
    await page.getByRole("heading", { name: "24 events matching the filters" }).waitFor();

    await open(`/repos/${data.repoId}/audit?from=yesterday`);
    await page.getByRole("alert").filter({ hasText: "from_timestamp must be an ISO 8601 timestamp" }).waitFor();
  });

  it("exports the filtered events as CSV and JSON, with formulas made inert", async () => {
    await open(`/repos/${data.repoId}/audit?key=${keyId}&event=created`);
    const csvLink = page.getByRole("link", { name: "Export CSV" });
    const csv = await page.request.get(url((await csvLink.getAttribute("href"))!));
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(csv.headers()["content-disposition"]).toMatch(/^attachment; filename="audit-.+\.csv"$/);
    const lines = (await csv.text()).trim().split("\n");
    expect(lines[0]).toBe("time_utc,event,key_id,key_name,public_key,who,email,channel,before,after");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,created,${keyId},'=HYPERLINK(1),${publicKey},`);

    const json = await page.request.get(url(`/repos/${data.repoId}/audit/export?format=json&key=${keyId}`));
    const body = (await json.json()) as { exported: number; truncated: boolean; events: { event: string }[] };
    expect(body).toMatchObject({ exported: 24, truncated: false });
    expect(body.events.map((e) => e.event).slice(0, 2)).toEqual(["deleted", "updated"]);

    expect((await page.request.get(url("/repos/nope/audit/export?format=json"))).status()).toBe(404);
  });

  it("bounds an export at 10,000 events, the newest, and says so", async () => {
    const json = await page.request.get(url(`/repos/${longRepoId}/audit/export?format=json&key=bulk`));
    expect(json.headers()["x-truncated"]).toBe("true");
    expect(json.headers()["x-exported-events"]).toBe("10000");
    const body = (await json.json()) as { exported: number; truncated: boolean; events: { id: number }[] };
    expect(body).toMatchObject({ exported: 10_000, truncated: true });
    expect(body.events).toHaveLength(10_000);
    expect(body.events[0]!.id).toBeGreaterThan(body.events[9_999]!.id);
    const csv = await page.request.get(url(`/repos/${longRepoId}/audit/export?format=csv&key=bulk`));
    expect((await csv.text()).trim().split("\n")).toHaveLength(10_001); // the header and 10,000 events
  });
});

describe("missing pages, icons and titles", () => {
  it("answers a repository that does not exist (or is not yours) with a 404 page", async () => {
    const response = await page.goto(url("/repos/does-not-exist"));
    expect(response?.status()).toBe(404);
    await page.getByRole("heading", { name: "Repository not found" }).waitFor();
    expect((await page.goto(url("/repos/does-not-exist/audit")))?.status()).toBe(404);
    await expectAccessible(page, "the 404 page");
    await shoot("not-found");
  });

  it("serves an SVG icon, also as /favicon.ico", async () => {
    for (const icon of ["/favicon.ico", "/favicon.svg"]) {
      const response = await fetch(url(icon));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("image/svg+xml");
    }
  });

  it("names the repository in the page titles", async () => {
    await open(`/repos/${data.repoId}`);
    expect(await page.title()).toBe(`AI API keys · ${demoAccount.repoName} · repokeys`);
    await open(`/repos/${data.repoId}/audit`);
    expect(await page.title()).toBe(`Audit trail · ${demoAccount.repoName} · repokeys`);
  });

  it("shows the repository id with a copy button and a curl example to paste", async () => {
    await open(`/repos/${data.repoId}`);
    const access = page.getByRole("region", { name: "Use from the REST API" });
    expect(await access.textContent()).toContain(data.repoId);
    const curl = `curl ${server.baseUrl}/repo/${data.repoId}/ai/apikey -H "Authorization: Bearer $REPOKEYS_TOKEN"`;
    expect(await access.locator("pre").textContent()).toBe(curl);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.baseUrl });
    await access.getByRole("button", { name: "Copy repository id" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(data.repoId);
    await access.getByRole("button", { name: "Copy curl example" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(curl);
  });
});

describe("layouts that hold at 1280, 768 and 390 px with 100-character names", () => {
  beforeAll(async () => {
    await setWidth(widths[0]);
    await open(`/repos/${longRepoId}`);
    for (const name of [longKey, "Billing worker"])
      expect((await call("createAiApiKey", { repoId: longRepoId, name, aiType: "ANTHROPIC" })).status).toBe(200);
    expect((await call("createApiToken", { name: "t".repeat(100) })).status).toBe(200);
  });

  const pages = () => [
    { name: "overview", path: "/" },
    { name: "keys", path: `/repos/${longRepoId}` },
    { name: "audit", path: `/repos/${longRepoId}/audit` },
    { name: "tokens", path: "/tokens" },
  ];

  it("fits every page at every width, long names wrapped or truncated with the full name kept", async () => {
    for (const width of widths) {
      await setWidth(width);
      for (const { name, path: pathname } of pages()) {
        await open(pathname);
        const where = `${name} at ${width.width} px`;
        expect(await elementsPastRightEdge(page), where).toEqual([]);
        await expectNoHorizontalScroll(page, where);
        await expectAccessible(page, where);
        await shoot(`${name}-${width.name}`);
      }
      await open(`/repos/${longRepoId}`);
      const row = page
        .locator("tbody tr")
        .filter({ visible: true })
        .filter({ has: page.getByText(longKey, { exact: true }) });
      const nameText = row.getByText(longKey, { exact: true });
      expect(await nameText.getAttribute("title")).toBe(longKey);
      const actions = row.getByRole("button", { name: `Actions for ${longKey}` });
      const box = (await actions.boundingBox())!;
      expect(box.x + box.width, `Actions at ${width.width} px`).toBeLessThanOrEqual(width.width);
      const heading = page.getByRole("heading", { level: 1, name: longRepo });
      expect(await heading.getAttribute("title")).toBe(longRepo);
    }
  });

  it("folds the navigation behind a Menu button on a phone and shows rows as cards", async () => {
    await setWidth(widths[2]);
    await open(`/repos/${longRepoId}`);
    const main = (await page.locator("main").boundingBox())!;
    expect(main.y).toBeLessThan(80);
    const nav = page.getByRole("navigation", { name: "Workspaces and repositories" });
    expect(await nav.isVisible()).toBe(false);
    const menu = page.getByRole("button", { name: "Menu" });
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    await menu.click();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    await nav.waitFor();
    await expectAccessible(page, "the phone menu");
    await shoot("menu-phone");
    await page.keyboard.press("Escape");
    expect(await nav.isVisible()).toBe(false);
    await expect.poll(focusedElement).toMatchObject({ text: "Menu" });

    // each cell says what it is; the type and the Actions button are on screen, not in a sideways scroller
    const row = page
      .locator("tbody tr")
      .filter({ visible: true })
      .filter({ has: page.getByText("Billing worker", { exact: true }) });
    expect(await row.evaluate((tr) => getComputedStyle(tr).display)).toBe("block");
    for (const label of ["Public key", "AI type", "Created"]) await row.locator(`td[data-label="${label}"]`).waitFor();
    const type = (await row.getByText("Anthropic").boundingBox())!;
    expect(type.x + type.width).toBeLessThanOrEqual(390);

    await open(`/repos/${longRepoId}/audit`);
    const event = page.locator("tbody tr").filter({ visible: true }).first();
    for (const label of ["Who", "What", "Change", "Channel"])
      await event.locator(`td[data-label="${label}"]`).waitFor();
    const channel = (await event.locator('td[data-label="Channel"]').boundingBox())!;
    expect(channel.x + channel.width).toBeLessThanOrEqual(390);
    await setWidth(widths[0]);
  });

  it("is accessible for a VIEWER at desktop and phone width", async () => {
    await setWidth(widths[0]);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    await submitSignInForm(page, viewerAccount);
    await page.waitForURL(url("/"));
    for (const width of [widths[0], widths[2]]) {
      await setWidth(width);
      for (const { name, path: pathname } of pages()) {
        await open(pathname);
        await expectNoHorizontalScroll(page, `${name} for a VIEWER at ${width.width} px`);
        await expectAccessible(page, `${name} for a VIEWER at ${width.width} px`);
        await shoot(`${name}-viewer-${width.name}`);
      }
    }
    await setWidth(widths[0]);
  });

  it("requested no missing file and ran without a Content-Security-Policy violation", () => {
    expect(missing).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
