import { setTimeout as sleep } from "node:timers/promises";
import { createTestDatabase, type TestDatabase } from "@repokeys/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announceInvalidation, InvalidationFeed } from "../src/invalidation-feed";
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

describe("InvalidationFeed", () => {
  it("forgets an announced id in the caches of its kind only; an unknown kind or a malformed payload is ignored", () => {
    const feed = new InvalidationFeed();
    const keys = new RevocableCache<string>({ ttlMs: 60_000, max: 10 });
    const tokens = new RevocableCache<string>({ ttlMs: 60_000, max: 10 });
    feed.subscribe("key", keys);
    feed.subscribe("token", tokens);
    keys.set("rk_a", "a");
    keys.set("rk_b:x", "b");
    tokens.set("rk_a", "token");
    feed.deliver("key:rk_a");
    feed.deliver("key:rk_b:x"); // only the first colon separates
    feed.deliver("webhook:rk_a");
    feed.deliver("rk_a");
    expect([keys.get("rk_a"), keys.get("rk_b:x"), tokens.get("rk_a")]).toEqual([undefined, undefined, "token"]);
    feed.forgetAll();
    expect(tokens.get("rk_a")).toBeUndefined();
  });

  describe("on the test database (PGlite, or PostgreSQL with TEST_DATABASE_URL)", () => {
    let database: TestDatabase;
    const feed = new InvalidationFeed();
    const keys = new RevocableCache<string>({ ttlMs: 60_000, max: 10 });
    feed.subscribe("key", keys);

    beforeAll(async () => {
      database = await createTestDatabase();
      await feed.listen(database.db);
    });
    afterAll(() => database.dispose());

    /** Waits for the announcement to arrive (PostgreSQL delivers it on the listening connection, not at once). */
    const until = async (condition: () => boolean) => {
      for (let waited = 0; !condition() && waited < 5_000; waited += 10) await sleep(10);
      return condition();
    };

    it("empties every cache when it starts listening (what was announced before is unknown)", async () => {
      keys.set("rk_stale", "x");
      await feed.listen(database.db);
      expect(keys.get("rk_stale")).toBeUndefined();
    });

    it("announces a committed change, and never a rolled-back one", async () => {
      keys.set("rk_rolled_back", "x");
      keys.set("rk_committed", "y");
      await database.db
        .transaction(async (tx) => {
          await tx.query(`SELECT ${announceInvalidation("key", "$1::text")}`, ["rk_rolled_back"]);
          throw new Error("roll back");
        })
        .catch(() => {});
      await database.db.sql.query(`SELECT count(${announceInvalidation("key", "$1::text")}) AS n`, ["rk_committed"]);
      expect(await until(() => keys.get("rk_committed") === undefined)).toBe(true);
      expect(keys.get("rk_rolled_back")).toBe("x");
    });
  });
});
