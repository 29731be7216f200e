import { expect, it } from "vitest";
import {
  constantTimeEqual,
  generateApiToken,
  generateGatewayToken,
  generatePublicKey,
  generateSecret,
  hashPassword,
  sha256,
  verifyPassword,
} from "../src";

it("generates prefixed, URL-safe, unique key material with enough entropy", () => {
  const keys = new Set(Array.from({ length: 200 }, generatePublicKey));
  expect(keys.size).toBe(200);
  for (const key of keys) expect(key).toMatch(/^rk_[A-Za-z0-9_-]{24}$/);
  const secret = generateSecret();
  expect(secret).toMatch(/^rks_[A-Za-z0-9_-]{43}$/);
  expect(Buffer.from(secret.slice(4), "base64url")).toHaveLength(32);
  const { token, prefix } = generateApiToken();
  expect(token).toMatch(/^rkt_[A-Za-z0-9_-]{43}$/);
  expect(token.startsWith(prefix)).toBe(true);
  expect(prefix).toHaveLength(10);
  const gateway = generateGatewayToken();
  expect(gateway.token).toMatch(/^rkg_[A-Za-z0-9_-]{43}$/);
  expect(gateway.token.startsWith(gateway.prefix)).toBe(true);
});

it("compares digests in constant time, and only equal ones as equal", () => {
  expect(constantTimeEqual(sha256("a"), sha256("a"))).toBe(true);
  expect(constantTimeEqual(sha256("a"), sha256("b"))).toBe(false);
  expect(constantTimeEqual(sha256("a"), Buffer.alloc(3))).toBe(false);
});

it("hashes passwords with a salt and verifies them", async () => {
  const [a, b] = await Promise.all([hashPassword("correct horse"), hashPassword("correct horse")]);
  expect(a).not.toBe(b);
  expect(a).toMatch(/^\$argon2id\$/);
  expect(await verifyPassword(a, "correct horse")).toBe(true);
  expect(await verifyPassword(a, "wrong horse")).toBe(false);
  expect(await verifyPassword("not-a-hash", "x")).toBe(false);
});
