import type { IncomingMessage } from "node:http";
import { CredentialsSignin } from "@auth/core/errors";
import { describe, expect, it } from "vitest";
import {
  clientAddressHeader,
  limitSignIn,
  readClientAddress,
  type SignInAttempts,
  SignInRateLimited,
  stampClientAddress,
  trustProxyFromEnv,
} from "../src/web";

/** A limit that allows `budget` attempts and records what it was told. */
function fakeLimit(budget: number) {
  const calls: string[] = [];
  const limit: SignInAttempts = {
    async attempt({ email, address }) {
      calls.push(`attempt ${email} ${address}`);
      return calls.filter((c) => c.startsWith("attempt")).length <= budget
        ? { allowed: true }
        : { allowed: false, retryAfterSeconds: 600 };
    },
    async succeeded({ email, address }) {
      calls.push(`succeeded ${email} ${address}`);
    },
  };
  return { limit, calls };
}

describe("limitSignIn", () => {
  const attempt = { email: "a@example.test", address: "192.0.2.1" };

  it("counts before checking the password, and clears the account's count from that address after a success only", async () => {
    const { limit, calls } = fakeLimit(2);
    const checked: string[] = [];
    const check = (ok: boolean) => async () => {
      checked.push(calls.at(-1)!);
      return ok ? { id: "u" } : null;
    };
    expect(await limitSignIn(limit, attempt, check(false))).toBeNull();
    expect(await limitSignIn(limit, attempt, check(true))).toEqual({ id: "u" });
    // Each password check came after its attempt was counted.
    expect(checked).toEqual(["attempt a@example.test 192.0.2.1", "attempt a@example.test 192.0.2.1"]);
    expect(calls.at(-1)).toBe("succeeded a@example.test 192.0.2.1");
  });

  it("refuses past the limit without checking the password, with a code and the wait", async () => {
    const { limit } = fakeLimit(0);
    let checked = false;
    const refusal = await limitSignIn(limit, attempt, async () => {
      checked = true;
      return null;
    }).catch((err: unknown) => err);
    expect(checked).toBe(false);
    expect(refusal).toBeInstanceOf(SignInRateLimited);
    expect(refusal).toBeInstanceOf(CredentialsSignin);
    expect(refusal).toMatchObject({ code: "rate_limited", retryAfterSeconds: 600, type: "CredentialsSignin" });
  });
});

describe("client address", () => {
  const request = (headers: Record<string, string>, remoteAddress = "203.0.113.9") =>
    ({ headers: { ...headers }, socket: { remoteAddress } }) as unknown as IncomingMessage;

  it("is the socket's address, whatever the client claims, unless a proxy is trusted", () => {
    const req = request({ [clientAddressHeader]: "10.9.9.9", "x-forwarded-for": "198.51.100.1" });
    expect(stampClientAddress(req, false)).toBe("203.0.113.9");
    expect(req.headers[clientAddressHeader]).toBe("203.0.113.9");
    expect(readClientAddress(new Request("http://x/", { headers: { [clientAddressHeader]: "203.0.113.9" } }))).toBe(
      "203.0.113.9",
    );
  });

  it("behind a trusted proxy is the right-most X-Forwarded-For entry, the one the proxy added", () => {
    const req = request({ [clientAddressHeader]: "10.9.9.9", "x-forwarded-for": "10.0.0.1, 198.51.100.1 " });
    expect(stampClientAddress(req, true)).toBe("198.51.100.1");
    expect(req.headers[clientAddressHeader]).toBe("198.51.100.1");
    expect(stampClientAddress(request({}), true)).toBe("203.0.113.9");
  });

  it("reads TRUST_PROXY strictly, and refuses a sign-in request that server.ts did not stamp", () => {
    expect(trustProxyFromEnv({})).toBe(false);
    expect(trustProxyFromEnv({ TRUST_PROXY: "0" })).toBe(false);
    expect(trustProxyFromEnv({ TRUST_PROXY: "1" })).toBe(true);
    expect(() => trustProxyFromEnv({ TRUST_PROXY: "yes" })).toThrow(/TRUST_PROXY must be 1/);
    expect(() => readClientAddress(new Request("http://x/"))).toThrow(/server\.ts/);
  });
});
