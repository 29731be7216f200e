export type BearerCredential = { kind: "none" } | { kind: "malformed" } | { kind: "bearer"; token: string };

/** Reads `Authorization: Bearer <token>` (the scheme is case-insensitive, as RFC 9110 says). */
export function parseAuthorizationHeader(header: string | null | undefined): BearerCredential {
  if (header === null || header === undefined || header === "") return { kind: "none" };
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header);
  return match ? { kind: "bearer", token: match[1]! } : { kind: "malformed" };
}
