// One file past 300 lines: its cases share one production server, one browser and one receiver, whose start
// costs more than a case.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { type BrowserSession, expectAnnounced, startBrowserSession } from "./support/browser-session";
import { chooseMenuItemByKeyboard, pressTabUntil } from "./support/keyboard";
import { expectNoHorizontalScroll, widths } from "./support/layout";
import { submitSignInForm } from "./support/sign-in";
import { memberAccount, viewerAccount } from "./support/test-data";
import { eventIdOf, eventOf, signedWith, startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver";

/**
 * Webhooks in the web app: an OWNER adds a webhook endpoint (its secret shown once), a key change is
 * delivered to a real receiver on loopback and shows in the endpoint's delivery log, Resend sends the same event
 * id again; edit, rotate and delete from the row's Actions menu; a MEMBER or VIEWER has neither the link nor the
 * pages.
 * The actions are done with the keyboard only.
 */

let s: BrowserSession;
let receiver: WebhookReceiver;
let workspaceId: string;
let workspaceName: string;
let endpointId: string;
/** An endpoint still there at the end (the first one is deleted), for the refused deep links. */
let liveEndpointId: string;
let secret: string;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  s = await startBrowserSession(undefined, {
    // Two failures in a row pause an endpoint, 100 ms apart: the paused endpoint's case takes a second.
    env: { WEBHOOK_ALLOW_PRIVATE: "1", WEBHOOK_PAUSE_AFTER_FAILURES: "2", WEBHOOK_RETRY_BASE_MS: "100" },
    seed: { member: true },
  });
});
afterAll(async () => {
  await s?.close();
  await receiver?.close();
});

/** Waits until the receiver has been sent `count` deliveries in all (the worker sends them in the background). */
const receivedCount = (count: number) =>
  expect.poll(() => receiver.received.length, { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(count);
const tabTo = (name: string) => pressTabUntil(s, name);
const chooseAction = (url: string, item: string) => chooseMenuItemByKeyboard(s, `Actions for ${url}`, item);

const endpointsPath = () => `/workspaces/${workspaceId}/webhooks`;
const deliveryRow = (eventId: string) =>
  s.page.locator(`tbody tr:has(code:text-is("${eventId}"))`).filter({ visible: true });

describe("webhooks in the web app", () => {
  it("are linked from the sidebar under the workspace for its OWNER", async () => {
    const { page } = s;
    await s.open("/");
    const link = page.getByRole("link", { name: /^Webhooks of / });
    expect(await link.count()).toBe(1);
    workspaceName = (await link.textContent())!.replace(/^Webhooks of /, "");
    await link.click();
    await page.waitForURL(/\/workspaces\/[^/]+\/webhooks$/);
    workspaceId = new URL(page.url()).pathname.split("/")[2]!;
    await page.getByRole("heading", { level: 1, name: "Webhooks" }).waitFor();
    expect(await link.getAttribute("aria-current")).toBe("page");
    expect(await page.title()).toContain(`Webhooks · ${workspaceName}`);
    await page.getByText("No webhook endpoints yet").waitFor();
  });

  it("adds an endpoint with the keyboard, checked by the server's schemas first, and shows its secret once", async () => {
    const { page } = s;
    const creates: string[] = [];
    page.on("request", (r) => r.url().includes("createWebhookEndpoint") && creates.push(r.url()));
    await page.getByRole("button", { name: "Add endpoint", exact: true }).focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Add a webhook endpoint" });
    await dialog.waitFor();
    expect(await s.focused()).toMatchObject({ id: "new-endpoint-url" });
    const events = dialog.getByRole("group", { name: "Events" });
    expect(await events.getByRole("checkbox").count()).toBe(5);
    expect(await events.getByRole("checkbox", { checked: true }).count()).toBe(5);
    await expectAccessible(page, "the add-endpoint dialog");

    // the client refuses what the shared schema refuses, at its field, without a request
    await page.keyboard.type("not a url");
    await page.keyboard.press("Enter");
    await dialog.getByText("url must be an absolute URL").waitFor();
    expect(await dialog.getByLabel("Endpoint URL").getAttribute("aria-invalid")).toBe("true");
    expect(await s.focused()).toMatchObject({ id: "new-endpoint-url" });
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type(receiver.url);
    // Tab goes from the URL through the five boxes, in order; Space unticks each
    for (let n = 0; n < 5; n++) {
      await page.keyboard.press("Tab");
      expect(await s.focused()).toMatchObject({ tag: "input", id: expect.stringMatching(/^new-endpoint-event-/) });
      await page.keyboard.press("Space");
    }
    expect(await events.getByRole("checkbox", { checked: true }).count()).toBe(0);
    await tabTo("Add endpoint");
    await page.keyboard.press("Enter");
    await dialog.getByText("Choose at least one event.").waitFor();
    expect(creates).toEqual([]);
    await expectAccessible(page, "the add-endpoint dialog with its problems");

    for (const label of [/Key created/, /Key updated/]) {
      await dialog.getByLabel(label).focus();
      await page.keyboard.press("Space");
    }
    await dialog.getByLabel("Endpoint URL").focus();
    await page.keyboard.press("Enter");
    const reveal = page.getByRole("dialog", { name: "Webhook endpoint added" });
    secret = await reveal.getByLabel("Signing secret").inputValue();
    expect(secret).toMatch(/^whsec_/);
    await expectAccessible(page, "the endpoint's secret");
    await reveal.getByRole("button", { name: "I have copied it" }).focus();
    await page.keyboard.press("Enter");
    await expectAnnounced(page, `Webhook endpoint ${receiver.url} added.`);
    expect(await s.focused()).toMatchObject({ id: "endpoints-heading" });

    const row = page.locator("tbody tr").filter({ hasText: receiver.url }).filter({ visible: true });
    endpointId = (await row.getAttribute("data-endpoint-id"))!;
    expect(await row.getByRole("listitem").allTextContents()).toEqual(["Key created", "Key updated"]);
    expect(await row.locator('td[data-label="Last delivery"]').textContent()).toBe("None yet");

    // once: neither the page nor its list holds it again
    await s.open(endpointsPath());
    expect(await page.content()).not.toContain(secret);
    const listed = await page.evaluate(async (workspaceId) => {
      const input = encodeURIComponent(JSON.stringify({ workspaceId }));
      return (await fetch(`/api/trpc/listWebhookEndpoints?input=${input}`)).text();
    }, workspaceId);
    expect(listed).toContain(endpointId);
    expect(listed).not.toContain(secret);
  });

  it("shows a key change's delivery in the endpoint's log, and Resend sends the same event id again", async () => {
    const { page } = s;
    const created = await s.call("createAiApiKey", { repoId: s.data.repoId, name: "Hooked", aiType: "OPENAI" });
    expect(created.status).toBe(200);
    const renamed = await s.call("updateAiApiKey", {
      repoId: s.data.repoId,
      apikeyId: created.json.result!.data.id,
      name: "Hooked, renamed",
    });
    expect(renamed.status).toBe(200);
    await receivedCount(2);
    const [first, second] = receiver.received;
    expect([eventOf(first!), eventOf(second!)].sort()).toEqual(["apikey.created", "apikey.updated"]);
    const renameDelivery = receiver.received.find((d) => eventOf(d) === "apikey.updated")!;
    const eventId = eventIdOf(renameDelivery);
    expect(renameDelivery.headers["repokeys-event-id"]).toBe(eventId);
    // the secret shown once is the one the deliveries are signed with
    expect(receiver.received.every((d) => signedWith(d, secret))).toBe(true);

    await s.open(endpointsPath());
    const endpointRow = page.locator(`tbody tr[data-endpoint-id="${endpointId}"]`).filter({ visible: true });
    await endpointRow.getByText("Delivered").waitFor();
    await chooseAction(receiver.url, "View deliveries");
    await page.waitForURL(s.url(`${endpointsPath()}/${endpointId}`));
    await page.getByRole("heading", { level: 1, name: "Deliveries" }).waitFor();

    const row = deliveryRow(eventId);
    await row.getByText("Delivered").waitFor();
    expect(await row.locator('td[data-label="Event"] code').first().textContent()).toBe("apikey.updated");
    expect(await row.locator('td[data-label="HTTP status"]').textContent()).toBe("200");
    expect(await row.locator('td[data-label="Latency"]').textContent()).toMatch(/^\d[\d,]* ms$/);
    expect(await row.locator('td[data-label="Attempts"]').textContent()).toBe("1");
    expect(await row.locator('td[data-label="Last attempt"] time').getAttribute("title")).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/,
    );
    expect(await row.locator('td[data-label="Next attempt"]').textContent()).toBe("—");

    const before = receiver.received.length;
    await row.getByRole("button", { name: `Resend apikey.updated ${eventId}` }).focus();
    await page.keyboard.press("Enter");
    await expectAnnounced(page, `Delivery of apikey.updated (event ${eventId}) queued again.`);
    expect(await s.focused()).toMatchObject({ text: `Resend apikey.updated ${eventId}` });
    await receivedCount(before + 1);
    const resent = receiver.received.slice(before);
    expect(resent.map(eventIdOf)).toEqual([eventId]);
    expect(resent[0]!.body).toBe(renameDelivery.body);
    // the log follows by itself while the resend waits: attempted twice, delivered again
    await expect.poll(() => row.locator('td[data-label="Attempts"]').textContent(), { timeout: 15_000 }).toBe("2");
    await row.getByText("Delivered").waitFor();
  });

  it("pages the log with its cursor: Older deliveries", async () => {
    const { page } = s;
    const before = receiver.received.length;
    const key = await s.call("createAiApiKey", { repoId: s.data.repoId, name: "Paged", aiType: "OPENAI" });
    const apikeyId = key.json.result!.data.id;
    for (let n = 1; n <= 24; n++)
      expect((await s.call("updateAiApiKey", { repoId: s.data.repoId, apikeyId, name: `Paged ${n}` })).status).toBe(
        200,
      );
    await receivedCount(before + 25);
    await s.open(`${endpointsPath()}/${endpointId}`);
    // 2 + 25 deliveries: a first page of 25, newest first
    const rows = page.locator("tbody tr").filter({ visible: true });
    expect(await rows.count()).toBe(25);
    expect(await page.locator("nav.pager").textContent()).toContain("25 deliveries shown");
    await page.getByRole("button", { name: "Older deliveries" }).focus();
    await page.keyboard.press("Enter");
    await expectAnnounced(page, "2 older deliveries shown: this is the oldest one.");
    expect(await rows.count()).toBe(27);
    expect(await page.getByRole("button", { name: "Older deliveries" }).count()).toBe(0);
    expect(await s.focused()).toMatchObject({ id: "deliveries-heading" });
    const ids = await page
      .locator("tbody tr")
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-delivery-id")));
    expect(new Set(ids).size).toBe(27);
  });

  it("edits an endpoint's events, rotates its secret (shown once) and deletes it, each announced", async () => {
    const { page } = s;
    await s.open(endpointsPath());
    await chooseAction(receiver.url, "Edit…");
    const edit = page.getByRole("dialog", { name: "Edit webhook endpoint" });
    expect(await edit.getByLabel("Endpoint URL").inputValue()).toBe(receiver.url);
    expect(await edit.getByRole("checkbox", { checked: true }).count()).toBe(2);
    await edit.getByLabel(/Key rotated/).focus();
    await page.keyboard.press("Space");
    await edit.getByRole("button", { name: "Save changes" }).focus();
    await page.keyboard.press("Enter");
    await expectAnnounced(page, `Webhook endpoint ${receiver.url} saved.`);
    expect(await s.focused()).toMatchObject({ label: null, text: `Actions for ${receiver.url}▾` });
    const row = page.locator(`tbody tr[data-endpoint-id="${endpointId}"]`).filter({ visible: true });
    await expect
      .poll(() => row.getByRole("listitem").allTextContents())
      .toEqual(["Key created", "Key updated", "Key rotated"]);

    await chooseAction(receiver.url, "Rotate secret…");
    const confirm = page.getByRole("dialog", { name: "Rotate the signing secret?" });
    await confirm.getByRole("button", { name: "Rotate secret" }).focus();
    await page.keyboard.press("Enter");
    const reveal = page.getByRole("dialog", { name: "Signing secret rotated" });
    const rotated = await reveal.getByLabel("Signing secret").inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await reveal.getByRole("button", { name: "I have copied it" }).focus();
    await page.keyboard.press("Enter");
    await expectAnnounced(page, `Signing secret of ${receiver.url} rotated.`);
    expect(await s.focused()).toMatchObject({ text: `Actions for ${receiver.url}▾` });
    expect(await page.content()).not.toContain(rotated);
    // deliveries are signed with the new secret from now on, and for a day with the replaced one too
    const before = receiver.received.length;
    expect((await s.call("createAiApiKey", { repoId: s.data.repoId, name: "Rotated", aiType: "OTHER" })).status).toBe(
      200,
    );
    await receivedCount(before + 1);
    const signed = receiver.received.at(-1)!;
    expect(signedWith(signed, rotated)).toBe(true);
    expect(signedWith(signed, secret)).toBe(true);
    expect(String(signed.headers["repokeys-signature"])).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);

    await chooseAction(receiver.url, "Delete…");
    const remove = page.getByRole("dialog", { name: "Delete this webhook endpoint?" });
    await remove.getByRole("button", { name: "Delete endpoint" }).focus();
    await page.keyboard.press("Enter");
    await expectAnnounced(page, `Webhook endpoint ${receiver.url} deleted.`);
    await row.waitFor({ state: "detached" });
    expect(await s.focused()).toMatchObject({ id: "endpoints-heading" });
    await page.getByText("No webhook endpoints yet").waitFor();
    // its delivery log is gone with it: a 404, as for an id that never was
    for (const id of [endpointId, "no-such-endpoint"]) {
      const response = await page.goto(s.url(`${endpointsPath()}/${id}`));
      expect(response?.status(), id).toBe(404);
      await page.getByRole("heading", { name: "Webhooks not found" }).waitFor();
    }
  });

  it("holds at 1280, 768 and 390 px: no sideways scroll, axe-clean pages and dialogs, screenshots", async () => {
    const { page } = s;
    const created = await s.call("createWebhookEndpoint", {
      workspaceId,
      url: `${receiver.url}/a-rather-long-path/that-must-wrap-rather-than-widen-the-page?and=a&query=string`,
      events: ["apikey.created", "apikey.updated", "apikey.rotated", "apikey.deleted", "apikey.expiring"],
    });
    expect(created.status).toBe(200);
    liveEndpointId = created.json.result!.data.endpoint.id as string;
    const before = receiver.received.length;
    await s.call("createAiApiKey", { repoId: s.data.repoId, name: "Layout", aiType: "ANTHROPIC" });
    await receivedCount(before + 1);
    for (const width of widths) {
      await s.setWidth(width);
      await s.open(endpointsPath());
      await page.getByText("Delivered").filter({ visible: true }).first().waitFor();
      await expectNoHorizontalScroll(page, `the endpoints at ${width.width}`);
      await expectAccessible(page, `the endpoints at ${width.width}`);
      await s.shoot(`webhooks-${width.name}`);
      await page.getByRole("button", { name: "Add endpoint", exact: true }).click();
      await expectAccessible(page, `the add-endpoint dialog at ${width.width}`);
      await s.shoot(`webhooks-add-${width.name}`);
      await page.keyboard.press("Escape");

      await s.open(`${endpointsPath()}/${liveEndpointId}`);
      await page.getByText("Delivered").filter({ visible: true }).first().waitFor();
      await expectNoHorizontalScroll(page, `the delivery log at ${width.width}`);
      await expectAccessible(page, `the delivery log at ${width.width}`);
      await s.shoot(`webhook-deliveries-${width.name}`);
    }
    await s.setWidth(widths[0]);
  });

  it("shows a paused endpoint as paused, with a Resume button that sends to it again", async () => {
    const { page } = s;
    const closed = "http://127.0.0.1:9/paused";
    const created = await s.call("createWebhookEndpoint", { workspaceId, url: closed, events: ["apikey.created"] });
    const id = created.json.result!.data.endpoint.id as string;
    await s.call("createAiApiKey", { repoId: s.data.repoId, name: "Unheard", aiType: "OTHER" });
    await s.open(endpointsPath());
    const row = page.locator(`tbody tr[data-endpoint-id="${id}"]`).filter({ visible: true });
    await expect
      .poll(
        async () => {
          await s.open(endpointsPath());
          return row.getByText("Paused", { exact: true }).count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    expect(await row.textContent()).toContain("After 2 failed attempts in a row");
    for (const width of widths) {
      await s.setWidth(width);
      await s.open(endpointsPath());
      await row.getByText("Paused", { exact: true }).waitFor();
      await expectNoHorizontalScroll(page, `a paused endpoint at ${width.width}`);
      await expectAccessible(page, `a paused endpoint at ${width.width}`);
      await s.shoot(`webhooks-paused-${width.name}`);
    }
    await s.setWidth(widths[0]);
    // Fixed, then resumed: the waiting delivery goes out.
    const before = receiver.received.length;
    expect((await s.call("updateWebhookEndpoint", { workspaceId, endpointId: id, url: receiver.url })).status).toBe(
      200,
    );
    await s.open(endpointsPath());
    await row.getByRole("button", { name: `Resume sending to ${receiver.url}` }).focus();
    await page.keyboard.press("Enter");
    await row.getByText("Paused", { exact: true }).waitFor({ state: "detached" });
    await receivedCount(before + 1);
    expect(eventOf(receiver.received.at(-1)!)).toBe("apikey.created");
    // The list does not refresh by itself: each look reloads it, as for "Paused" above.
    await expect
      .poll(
        async () => {
          await s.open(endpointsPath());
          return row.getByText("Delivered").count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
  });

  for (const [role, account] of [
    ["MEMBER", memberAccount],
    ["VIEWER", viewerAccount],
  ] as const) {
    it(`gives a ${role} neither the link nor the pages, and the server refuses them too`, async () => {
      const { page } = s;
      await s.open("/");
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/sign-in/);
      await submitSignInForm(page, account);
      await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
      await s.open("/");
      expect(await page.getByRole("navigation", { name: "Workspaces and repositories" }).textContent()).toContain(role);
      expect(await page.getByRole("link", { name: /Webhooks/ }).count()).toBe(0);
      for (const path of [endpointsPath(), `${endpointsPath()}/${liveEndpointId}`]) {
        const response = await page.goto(s.url(path));
        expect(response?.status(), path).toBe(404);
        await page.getByRole("heading", { name: "Webhooks not found" }).waitFor();
        expect(await page.content()).not.toContain(receiver.url);
      }
      await expectAccessible(page, `the webhooks page refused to a ${role}`);
      const refused = await s.call("createWebhookEndpoint", {
        workspaceId,
        url: receiver.url,
        events: ["apikey.created"],
      });
      expect(refused.status).toBe(403);
    });
  }
});
