import { runCommand } from "@repokeys/api/testing/command-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutRoot } from "./support/admin-command";
import { startAppServer } from "./support/app-server";
import { expectAccessible } from "./support/axe";
import { type BrowserSession, startBrowserSession } from "./support/browser-session";
import { expectNoHorizontalScroll, widths } from "./support/layout";
import { demoAccount, prepareTestData, type TestData } from "./support/test-data";

/**
 * Each key's verifications over the last 30 days as small bars with an accessible summary. The counts
 * are made by a first server that flushes only on shutdown (its interval is the longest allowed): stopping it
 * with SIGTERM, as an orchestrator does, must write them. A second server on the same database shows them.
 */

const busy = "Busy gateway";
const idle = "Idle key";
const valid = 12;
const refused = 3;
let s: BrowserSession;
let stored: { valid: string; refused: string }[];

/** `npm run admin` on the test's database, as an operator runs it (through the app's socket on PGlite). */
async function admin(data: TestData, args: string[]): Promise<string> {
  const result = await runCommand("npm", ["run", "--silent", "admin", "--", ...args], {
    cwd: checkoutRoot,
    env: { ...process.env, DATABASE_URL: "", MASTER_KEYS: "", ...data.env },
  });
  expect(result.exitCode, result.stderr).toBe(0);
  return result.stdout.trim();
}

beforeAll(async () => {
  const data = await prepareTestData();
  const first = await startAppServer({ ...data.env, USAGE_FLUSH_INTERVAL_MS: "600000" });
  try {
    const token = await admin(data, ["token", "create", "--email", demoAccount.email, "--name", "usage test"]);
    const gateway = await admin(data, ["gateway-token", "create", "--name", "usage test gateway"]);
    const call = async (path: string, bearer: string, body: unknown) => {
      const res = await fetch(`${first.baseUrl}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(res.ok).toBe(true);
      return res.json();
    };
    const keys = [];
    for (const name of [busy, idle])
      keys.push(await call(`/repo/${data.repoId}/ai/apikey`, token, { name, aiType: "OPENAI" }));
    for (let i = 0; i < valid + refused; i++) {
      const secret = i < valid ? keys[0].secret : keys[1].secret;
      await call("/ai/apikey/verify", gateway, { key: keys[0].key, secret });
    }
  } finally {
    await first.stop();
  }
  stored = await data.inspect((db) =>
    db.sql.query<{ valid: string; refused: string }>(`SELECT valid::text, refused::text FROM "KeyUsageDay"`),
  );
  s = await startBrowserSession(undefined, { data });
});
afterAll(() => s?.close());

const rowOf = (name: string) =>
  s.page
    .locator("tbody tr")
    .filter({ visible: true })
    .filter({ has: s.page.getByText(name, { exact: true }) });

it("writes the counts when the server is stopped (SIGTERM), with no flush before", () => {
  expect(stored).toEqual([{ valid: String(valid), refused: String(refused) }]);
});

describe("a key's last 30 days", () => {
  for (const width of widths) {
    it(`shows each key's verifications as bars with a summary at ${width.width} px`, async () => {
      const { page } = s;
      await s.setWidth(width);
      await s.open(`/repos/${s.data.repoId}`);
      const chart = rowOf(busy).getByRole("img", {
        name: `Usage of ${busy}: ${valid + refused} verifications in the last 30 days, ${refused} of them refused`,
      });
      await chart.waitFor();
      const bars = chart.locator("g[data-day]");
      expect(await bars.count()).toBe(30);
      const today = new Date().toISOString().slice(0, 10);
      const todayName = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" }).format(
        new Date(),
      );
      expect(await bars.last().getAttribute("data-day")).toBe(today);
      expect(await bars.last().locator("title").textContent()).toBe(
        `${todayName} (UTC): ${valid + refused} verifications, ${refused} refused`,
      );
      expect(await bars.first().locator("title").textContent()).toMatch(/\(UTC\): 0 verifications$/);
      // today's bar is the tallest (the only one), refused stacked on valid
      const heights = await bars
        .last()
        .evaluate((g) => [...g.querySelectorAll(".usage-valid, .usage-refused")].map((r) => r.getAttribute("height")));
      expect(heights).toEqual(["13", "3"]);
      await rowOf(idle)
        .getByRole("img", { name: `Usage of ${idle}: no verifications in the last 30 days` })
        .waitFor();

      const box = (await chart.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width.width);
      if (width.width === 1280) {
        const publicKey = rowOf(busy).locator("td[data-label='Public key']");
        expect((await publicKey.boundingBox())!.width, "the public key keeps room").toBeGreaterThan(140);
      }
      await expectNoHorizontalScroll(page, `the usage bars at ${width.width}`);
      await expectAccessible(page, `the usage bars at ${width.width}`);
      await s.shoot(`keys-usage-${width.name}`);
    });
  }
});
