import type { ApiTokenDto } from "@repokeys/api";

export function TokenStatus({ token, now }: { token: ApiTokenDto; now: number }) {
  if (token.revokedAt) return <span className="badge badge-danger">Revoked</span>;
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return <span className="badge">Expired</span>;
  return <span className="badge badge-accent">Active</span>;
}
