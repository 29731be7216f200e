// Per-address limits count an IPv6 client by its /64: one subscriber's /64 holds 2^64
// addresses, so counting each alone would give a script a fresh budget per request.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RateLimitSettings } from "../src";
import { api, createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";

const off: RateLimitSettings = { restPerMinute: 0, signInPerAccount: 0, signInPerAddress: 0 };
const bogus = () => `rkt_${randomBytes(32).toString("base64url")}`;

let h: Harness;
let ws: WorkspaceFixture;

beforeAll(async () => {
  // Behind the one trusted proxy, X-Forwarded-For's last entry is the client: the test can name addresses.
  h = await startHarness({ rateLimits: { ...off, unknownTokensPerAddress: 3 }, trustProxy: true });
  ws = await createWorkspaceFixture(h.services);
});
afterAll(() => h.close());

const listFrom = (address: string, token: string) =>
  api(h.baseUrl, "GET", `/repo/${ws.repo.id}/ai/apikey`, { token, headers: { "x-forwarded-for": address } });

describe("per-address limits", () => {
  it("count every address of one IPv6 /64 together, and another /64 apart", async () => {
    const statuses: number[] = [];
    for (const address of [
      "2001:db8:aa:bb::1",
      "2001:db8:aa:bb::2",
      "2001:db8:aa:bb:0:0:0:3",
      "2001:db8:aa:bb:ffff:ffff:ffff:4",
      "2001:db8:aa:bb::5",
    ])
      statuses.push((await listFrom(address, bogus())).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect((await listFrom("2001:db8:aa:bc::1", bogus())).status).toBe(401);
  });

  it("count an IPv4-mapped IPv6 address as its IPv4 address", async () => {
    for (let i = 0; i < 3; i++) expect((await listFrom("198.51.100.9", bogus())).status).toBe(401);
    expect((await listFrom("::ffff:198.51.100.9", bogus())).status).toBe(429);
  });
});
