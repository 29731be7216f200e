import { expect, it } from "vitest";
import { timeAgo, timeLeft } from "../src/components/keys/time-ago";

it("says how long ago a key was last used, in words", () => {
  const now = Date.parse("2026-11-28T12:00:00.000Z");
  const ago = (ms: number) => timeAgo(new Date(now - ms).toISOString(), now);
  expect(ago(20_000)).toBe("just now");
  expect(ago(60_000)).toBe("1 minute ago");
  expect(ago(3 * 60_000 + 59_000)).toBe("3 minutes ago");
  expect(ago(2 * 3_600_000)).toBe("2 hours ago");
  expect(ago(86_400_000)).toBe("yesterday");
  expect(ago(5 * 86_400_000)).toBe("5 days ago");
  expect(ago(-5_000)).toBe("just now"); // a clock slightly ahead of ours
});

it("says how long a key has left, rounded down so it never promises more", () => {
  const now = Date.parse("2026-11-28T12:00:00.000Z");
  const left = (ms: number) => timeLeft(new Date(now + ms).toISOString(), now);
  expect(left(3_600_000 - 1_000)).toBe("in 59 minutes");
  expect(left(3_600_000)).toBe("in 1 hour");
  expect(left(86_400_000 - 1)).toBe("in 23 hours");
  expect(left(30_000)).toBe("in under a minute");
  expect(left(-5_000)).toBe("in under a minute"); // due, not yet marked expired by the list
});
