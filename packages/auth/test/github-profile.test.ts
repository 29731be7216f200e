import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebAuthConfig, externalProvidersFromEnv, verifiedPrimaryEmail } from "../src/web";

const accessToken = "gho_test-token";
const primary = (email: string, verified: boolean) => ({ email, primary: true, verified, visibility: "private" });
const secondary = (email: string, verified: boolean) => ({ email, primary: false, verified, visibility: null });

describe("the GitHub address a sign-in may use", () => {
  it("is the primary address when GitHub reports it verified, lower-cased", () => {
    expect(verifiedPrimaryEmail([secondary("b@example.test", true), primary("Ann@Example.TEST", true)])).toBe(
      "ann@example.test",
    );
  });

  it("is none when the primary is unverified, even with a verified secondary address", () => {
    expect(verifiedPrimaryEmail([primary("ann@example.test", false), secondary("b@example.test", true)])).toBe(
      undefined,
    );
  });

  it("is none for an empty or malformed list", () => {
    for (const list of [
      [],
      null,
      {},
      "ann@example.test",
      [{ email: "ann@example.test", primary: true, verified: "true" }],
    ])
      expect(verifiedPrimaryEmail(list)).toBe(undefined);
  });
});

describe("the GitHub provider's userinfo request, against a stand-in for api.github.com", () => {
  let server: Server;
  let userUrl: string;
  /** What the stand-in's /user/emails answers next. */
  let emails: unknown = [];
  let emailsStatus = 200;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push(request.url ?? "");
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
      };
      if (request.headers.authorization !== `Bearer ${accessToken}`) return send(401, { message: "Bad credentials" });
      const path = new URL(request.url ?? "/", "http://x").pathname;
      // The public profile email, which GitHub does not promise is verified.
      if (path === "/user") return send(200, { id: 42, login: "ann", name: "Ann", email: "Public@Example.test" });
      if (path === "/user/emails") return send(emailsStatus, emails);
      send(404, { message: "Not Found" });
    });
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
    userUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/user`;
  });
  afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

  // The very request function the app configures; Auth.js hands it the provider with its userinfo URL.
  const [github] = externalProvidersFromEnv({ AUTH_GITHUB_ID: "id", AUTH_GITHUB_SECRET: "secret" });
  if (!github) throw new Error("GitHub sign-in is not configured from its variables.");
  const { options } = github.provider as unknown as {
    options: {
      authorization: { params: { scope: string } };
      userinfo: { url: string; request: (context: unknown) => Promise<Record<string, unknown>> };
    };
  };
  const userinfo = (list: unknown, status = 200) => {
    emails = list;
    emailsStatus = status;
    return options.userinfo.request({
      tokens: { access_token: accessToken },
      provider: { userinfo: { url: userUrl } },
    });
  };

  it("asks for user:email and points at api.github.com", () => {
    expect(options.authorization.params.scope.split(" ")).toContain("user:email");
    expect(options.userinfo.url).toBe("https://api.github.com/user");
  });

  it("gives the verified primary address, lower-cased, as the profile's verified email", async () => {
    const profile = await userinfo([secondary("other@example.test", true), primary("Ann@Example.TEST", true)]);
    expect(profile).toMatchObject({ id: 42, login: "ann", email: "ann@example.test", email_verified: true });
    expect(seen).toContain("/user/emails?per_page=100");
  });

  it("never uses the public profile email when it is not the verified primary", async () => {
    const profile = await userinfo([primary("Public@Example.test", false), secondary("public@example.test", false)]);
    expect(profile).toMatchObject({ email: null, email_verified: false });
    expect(await userinfo([primary("ann@example.test", true)])).toMatchObject({ email: "ann@example.test" });
  });

  it("gives no email when only a secondary address is verified, or the list is empty", async () => {
    const list = [primary("ann@example.test", false), secondary("b@example.test", true)];
    expect(await userinfo(list)).toMatchObject({ email: null, email_verified: false });
    expect(await userinfo([])).toMatchObject({ email: null, email_verified: false });
  });

  it("fails, naming neither token nor address, when GitHub will not list the addresses", async () => {
    const failure = userinfo([], 403);
    await expect(failure).rejects.toThrow("GitHub /user/emails answered 403.");
    await expect(failure).rejects.not.toThrow(/gho_|@/);
  });
});

describe("the sign-in callback with a GitHub profile", () => {
  const unused = () => {
    throw new Error("not reached: signIn decides before any lookup");
  };
  const { callbacks } = createWebAuthConfig({
    secret: "a-test-secret-that-is-long-enough-0123456789",
    database: unused,
    signInLimit: unused,
    sessionVersions: unused,
    externalAccounts: unused,
    env: {},
  });
  const signIn = (profile: Record<string, unknown>) =>
    callbacks?.signIn?.({
      user: { id: "42" },
      account: { provider: "github", type: "oauth", providerAccountId: "42" },
      profile,
    });

  it("admits only a verified email (refused, Auth.js shows AccessDenied)", async () => {
    expect(await signIn({ email: "ann@example.test", email_verified: true })).toBe(true);
    expect(await signIn({ email: null, email_verified: false })).toBe(false);
    // Auth.js's own GitHub profile: a public or listed address with no verification stated.
    expect(await signIn({ email: "ann@example.test" })).toBe(false);
  });

  it("refuses a verified email that NFKC would fold into another address", async () => {
    // U+212A KELVIN SIGN and fullwidth letters: a different mailbox at the provider from the one they fold into.
    expect(await signIn({ email: "\u212Aevin@example.test", email_verified: true })).toBe(false);
    expect(await signIn({ email: "\uFF41nn@example.test", email_verified: true })).toBe(false);
    expect(await signIn({ email: "  ", email_verified: true })).toBe(false);
    expect(await signIn({ email: "Ann@Example.test", email_verified: true })).toBe(true);
  });
});
