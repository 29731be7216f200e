import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { RevocableCache } from "../src/revocable-cache";

describe("RevocableCache", () => {
  it("keeps at most `max` entries, the most recently used", () => {
    const cache = new RevocableCache<number>({ ttlMs: 60_000, max: 3 });
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, i);
    expect([0, 1, 2, 3, 4, 5, 6].some((i) => cache.has(`k${i}`))).toBe(false);
    expect([7, 8, 9].map((i) => cache.get(`k${i}`))).toEqual([7, 8, 9]);
  });

  it("trusts an entry for the TTL and no longer", async () => {
    const cache = new RevocableCache<string>({ ttlMs: 50, max: 10 });
    cache.set("k", "v");
    expect(cache.get("k")).toBe("v");
    await sleep(80);
    expect(cache.get("k")).toBeUndefined();
  });

  it("keeps nothing with a TTL of 0", () => {
    const cache = new RevocableCache<string>({ ttlMs: 0, max: 10 });
    cache.set("k", "v");
    expect(cache.get("k")).toBeUndefined();
    expect(cache.has("k")).toBe(false);
  });

  it("forgets one entry, or all", () => {
    const cache = new RevocableCache<string>({ ttlMs: 60_000, max: 10 });
    cache.set("a", "1");
    cache.set("b", "2");
    cache.forget("a");
    expect([cache.get("a"), cache.get("b")]).toEqual([undefined, "2"]);
    cache.forgetAll();
    expect(cache.get("b")).toBeUndefined();
  });

  it("does not store a lookup's answer when something was forgotten while it was under way", () => {
    const cache = new RevocableCache<string>({ ttlMs: 60_000, max: 10 });
    const before = cache.generation();
    cache.forget("k"); // revoked while the lookup read the old row
    cache.set("k", "old row", before);
    expect(cache.get("k")).toBeUndefined();
    const after = cache.generation();
    cache.set("k", "new row", after);
    expect(cache.get("k")).toBe("new row");
    const beforeAll = cache.generation();
    cache.forgetAll();
    cache.set("j", "old row", beforeAll);
    expect(cache.get("j")).toBeUndefined();
  });
});
