/** The attempt's deadline passed (a timeout of the connection or of the answer counts the same). */
export const timedOutText = "Timed out before the answer ended.";

const certificateInvalid = "The receiver's TLS certificate is not valid for its host.";

/** Node's and OpenSSL's codes for a certificate that does not verify. */
const certificateCodes = new Set([
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_CHAIN_TOO_LONG",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "INVALID_CA",
  "HOSTNAME_MISMATCH",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_TLS_CERT_ALTNAME_FORMAT",
]);

const sentences: Record<string, string> = {
  ECONNREFUSED: "Connection refused.",
  ECONNRESET: "The connection was reset.",
  EPIPE: "The connection was reset.",
  ETIMEDOUT: timedOutText,
  ENOTFOUND: "The receiver's host could not be found.",
  EAI_AGAIN: "The receiver's host could not be looked up.",
  EHOSTUNREACH: "The receiver's address could not be reached.",
  ENETUNREACH: "The receiver's address could not be reached.",
  EPROTO: "The TLS handshake with the receiver failed.",
};

/**
 * What the delivery log says of an attempt that failed with `code`: a fixed sentence, never Node's message,
 * which names the address connected to (`connect ECONNREFUSED 203.0.113.7:443`) or the certificate's names,
 * so an OWNER reading the log cannot learn what the server's DNS answered. A code not known here is named only
 * when it is a plain identifier.
 */
export function attemptErrorText(code: string | undefined): string {
  if (code === undefined) return "The attempt failed.";
  const known = sentences[code];
  if (known) return known;
  if (certificateCodes.has(code)) return certificateInvalid;
  if (code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_")) return "The TLS handshake with the receiver failed.";
  if (code.startsWith("HPE_")) return "The receiver's answer was not valid HTTP.";
  return /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? `The attempt failed (${code}).` : "The attempt failed.";
}
