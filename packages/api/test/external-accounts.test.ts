// The account a GitHub or OpenID Connect sign-in signs in to: one per
// canonical email even when first sign-ins race, and a provider's name stored only as the name rules allow.
import { canonicalEmail } from "@repokeys/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isStorableText } from "../src/schemas/common";
import { type Harness, startHarness } from "../src/testing";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const accountsWith = (email: string) => h.services.db.prisma.user.findMany({ where: { email } });

describe("external sign-in accounts", () => {
  it("are created once when first sign-ins with one email race, each getting that account", async () => {
    const email = `racing-${Date.now()}@example.test`;
    const signIns = await Promise.all(
      Array.from({ length: 12 }, (_, i) => h.services.externalAccounts.signIn({ email, name: `Tab ${i}` })),
    );
    const [account] = await accountsWith(email);
    expect(await accountsWith(email)).toHaveLength(1);
    expect(new Set(signIns.map((s) => s.id))).toEqual(new Set([account!.id]));
    expect(signIns.every((s) => s.name === account!.name && s.email === email)).toBe(true);
  });

  it("sign in to an existing account without changing its name", async () => {
    const email = `existing-${Date.now()}@example.test`;
    const first = await h.services.externalAccounts.signIn({ email, name: "Ann" });
    const again = await h.services.externalAccounts.signIn({ email, name: "Someone else" });
    expect(again).toEqual(first);
  });

  it("store the provider's name cleaned by the storable-text rule and capped at 100, or the email", async () => {
    const signIn = (name: string | undefined) =>
      h.services.externalAccounts.signIn({ email: `named-${Math.random()}@example.test`, name });
    expect((await signIn("  Ann\u200B \u202Eevil\u0000 ")).name).toBe("Ann evil");
    const long = await signIn(`${"x".repeat(99)}😀tail`);
    expect(long.name).toBe("x".repeat(99));
    expect((await signIn("😀".repeat(60))).name).toBe("😀".repeat(50));
    for (const nothing of [undefined, "", " \u200B\uFEFF "]) {
      const account = await signIn(nothing);
      expect(account.name).toBe(account.email);
    }
    const broken = await signIn("half \uD800 pair");
    expect(isStorableText(broken.name)).toBe(true);
  });

  it("are matched by the canonical email: NFKC, trimmed, lower-cased", () => {
    expect(canonicalEmail(" Ann@Example.TEST ")).toBe("ann@example.test");
    expect(canonicalEmail("\u212Aevin@example.test")).toBe("kevin@example.test");
    expect(canonicalEmail("\uFF41nn@example.test")).toBe("ann@example.test");
  });
});
