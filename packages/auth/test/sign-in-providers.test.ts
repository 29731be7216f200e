import { describe, expect, it } from "vitest";
import { externalProvidersFromEnv } from "../src/web";

const oidc = (issuer: string) => ({ AUTH_OIDC_ISSUER: issuer, AUTH_OIDC_ID: "id", AUTH_OIDC_SECRET: "secret" });

describe("the OpenID Connect provider from the environment", () => {
  it("takes an https issuer, asks for openid, email and profile, and reads the claims from UserInfo", () => {
    const [provider] = externalProvidersFromEnv({ ...oidc("https://id.example.com/realms/x"), AUTH_OIDC_NAME: "Acme" });
    expect(provider).toMatchObject({ id: "oidc", name: "Acme", origin: "https://id.example.com" });
    expect(provider?.provider).toMatchObject({
      issuer: "https://id.example.com/realms/x",
      authorization: { params: { scope: "openid email profile" } },
      idToken: false,
    });
  });

  it("takes plain http only from a provider on this machine", () => {
    for (const issuer of ["http://localhost:8080", "http://127.0.0.1:9000/oidc", "http://[::1]:9000"])
      expect(externalProvidersFromEnv(oidc(issuer))).toHaveLength(1);
    for (const issuer of ["http://id.example.com", "http://10.0.0.5:8080", "http://localhost.example.com"])
      expect(() => externalProvidersFromEnv(oidc(issuer))).toThrow(/AUTH_OIDC_ISSUER must be an https URL/);
  });

  it("is off until the issuer, id and secret are all set", () => {
    expect(externalProvidersFromEnv({ AUTH_OIDC_ISSUER: "https://id.example.com", AUTH_OIDC_ID: "id" })).toEqual([]);
  });
});
