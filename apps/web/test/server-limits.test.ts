import { describe, expect, it } from "vitest";
import { defaultServerLimits, serverLimitsFromEnv, serverOptions } from "../src/server/server-limits";

describe("server limits", () => {
  it("default to the documented values and read each HTTP_* setting", () => {
    expect(serverLimitsFromEnv({})).toEqual({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 65_000,
      maxConnections: 1_000,
    });
    expect(
      serverLimitsFromEnv({
        HTTP_REQUEST_TIMEOUT_MS: "5000",
        HTTP_HEADERS_TIMEOUT_MS: "4000",
        HTTP_KEEP_ALIVE_TIMEOUT_MS: "7000",
        HTTP_MAX_CONNECTIONS: "20",
      }),
    ).toEqual({ requestTimeoutMs: 5_000, headersTimeoutMs: 4_000, keepAliveTimeoutMs: 7_000, maxConnections: 20 });
    expect(serverOptions(defaultServerLimits)).toMatchObject({ requestTimeout: 30_000, headersTimeout: 10_000 });
  });

  it("refuse to start on a value that is not a positive whole number, or headers slower than the request", () => {
    for (const value of ["0", "-1", "1.5", "ten", "1e3", " 5"])
      expect(() => serverLimitsFromEnv({ HTTP_MAX_CONNECTIONS: value })).toThrow(/HTTP_MAX_CONNECTIONS must be/);
    expect(() => serverLimitsFromEnv({ HTTP_HEADERS_TIMEOUT_MS: "60000" })).toThrow(/must not be longer/);
  });
});
