// The waits between attempts: they double from the base up to the cap, with jitter, and a resend starts over.
import { expect, it } from "vitest";
import { defaultWebhookSettings } from "../src";
import { retryDelayMs } from "../src/webhooks/delivery-worker";

const settings = defaultWebhookSettings;

it("waits the base first, then as long as it has tried so far, at most the cap, jittered to half of it at least", () => {
  const bounds = (triedForMs: number) => {
    const samples = Array.from({ length: 500 }, () => retryDelayMs(settings, triedForMs));
    return [Math.min(...samples), Math.max(...samples)] as const;
  };
  const [firstMin, firstMax] = bounds(0);
  expect(firstMin).toBeGreaterThanOrEqual(15_000);
  expect(firstMax).toBeLessThanOrEqual(30_000);
  const [laterMin, laterMax] = bounds(240_000);
  expect(laterMin).toBeGreaterThanOrEqual(120_000);
  expect(laterMax).toBeLessThanOrEqual(240_000);
  const [cappedMin, cappedMax] = bounds(20 * 3_600_000);
  expect(cappedMin).toBeGreaterThanOrEqual(1_800_000);
  expect(cappedMax).toBeLessThanOrEqual(3_600_000);
  expect(firstMax - firstMin).toBeGreaterThan(1_000);
});

it("sends within a day about 30 attempts at most (30 s doubling to 1 h), never a tight loop", () => {
  let elapsed = 0;
  let attempts = 0;
  while (elapsed < 86_400_000) {
    elapsed += retryDelayMs(settings, elapsed);
    attempts++;
  }
  expect(attempts).toBeGreaterThan(20);
  expect(attempts).toBeLessThan(60);
});
