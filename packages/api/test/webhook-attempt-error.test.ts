// What the delivery log says of a failed attempt: a fixed sentence per error code, never Node's message (which
// names the address connected to or the certificate's names); an unknown code is named only if it is plain.
import { describe, expect, it } from "vitest";
import { attemptErrorText } from "../src/webhooks/attempt-error";

describe("attemptErrorText", () => {
  it("says a certificate that does not verify in one sentence, whichever check failed", () => {
    for (const code of [
      "CERT_HAS_EXPIRED",
      "ERR_TLS_CERT_ALTNAME_INVALID",
      "DEPTH_ZERO_SELF_SIGNED_CERT",
      "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    ]) {
      expect(attemptErrorText(code)).toBe("The receiver's TLS certificate is not valid for its host.");
    }
  });

  it("says connection failures in fixed words", () => {
    expect(attemptErrorText("ECONNREFUSED")).toBe("Connection refused.");
    expect(attemptErrorText("ECONNRESET")).toBe("The connection was reset.");
    expect(attemptErrorText("ETIMEDOUT")).toBe("Timed out before the answer ended.");
    expect(attemptErrorText("ERR_SSL_WRONG_VERSION_NUMBER")).toBe("The TLS handshake with the receiver failed.");
  });

  it("names an unknown code only when it is a plain identifier", () => {
    expect(attemptErrorText("EWHATEVER")).toBe("The attempt failed (EWHATEVER).");
    expect(attemptErrorText("connect 10.0.0.1:443")).toBe("The attempt failed.");
    expect(attemptErrorText(undefined)).toBe("The attempt failed.");
  });
});
