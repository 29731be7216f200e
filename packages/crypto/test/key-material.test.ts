import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import {
  CredentialCheck,
  constantTimeEqual,
  generateSecret,
  hashPassword,
  sha256,
  tokenDisplayPrefix,
  verifyPassword,
} from "../src";

const check = new CredentialCheck(randomBytes(32));

it("generates prefixed, URL-safe, unique key material with enough entropy", () => {
  const keys = new Set(Array.from({ length: 200 }, () => check.mint("publicKey")));
  expect(keys.size).toBe(200);
  for (const key of keys) expect(key).toMatch(/^rk_[A-Za-z0-9_-]{24}[A-Za-z0-9_-]{11}$/);
  const secret = generateSecret();
  expect(secret).toMatch(/^rks_[A-Za-z0-9_-]{43}$/);
  expect(Buffer.from(secret.slice(4), "base64url")).toHaveLength(32);
  const token = check.mint("apiToken");
  expect(token).toMatch(/^rkt_[A-Za-z0-9_-]{54}$/);
  expect(tokenDisplayPrefix(token)).toBe(token.slice(0, 10));
  const gateway = check.mint("gatewayToken");
  expect(gateway).toMatch(/^rkg_[A-Za-z0-9_-]{54}$/);
  expect(tokenDisplayPrefix(gateway)).toBe(gateway.slice(0, 10));
});

it("tells minted credentials from forged ones, and the legacy shape from both", () => {
  for (const kind of ["publicKey", "apiToken", "gatewayToken"] as const) {
    const minted = check.mint(kind);
    expect(check.form(kind, minted)).toBe("checked");
    // Another server's check key, a changed character, a check part moved onto other random bits: forged.
    expect(new CredentialCheck(randomBytes(32)).form(kind, minted)).toBe("forged");
    const flipped = minted.slice(0, 8) + (minted[8] === "A" ? "B" : "A") + minted.slice(9);
    expect(check.form(kind, flipped)).toBe("forged");
    const other = check.mint(kind);
    expect(check.form(kind, other.slice(0, -11) + minted.slice(-11))).toBe("forged");
    // The shape minted before check parts: only the database can say.
    expect(check.form(kind, minted.slice(0, -11))).toBe("legacy");
    for (const odd of ["", minted.slice(0, -1), `${minted}A`, `x${minted.slice(1)}`, minted.replace(/.$/, "é")])
      expect(check.form(kind, odd)).toBe("forged");
  }
  expect(check.form("apiToken", check.mint("gatewayToken"))).toBe("forged");
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
