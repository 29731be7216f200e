import type { ApiTokenDto } from "../../schemas/api-token";

/** A token's row as the statements return it: never its hash (except where revocation needs it). */
export type ApiTokenRow = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
};

export const apiTokenReturning = `id, name, prefix, "createdAt", "lastUsedAt", "expiresAt", "revokedAt"`;

/** What a token's audit event records of it: never the token or its hash. */
export const apiTokenValuesJson = (source: string) =>
  `jsonb_build_object('name', ${source}.name, 'prefix', ${source}.prefix, 'expiresAt', ${source}."expiresAt", 'revokedAt', ${source}."revokedAt")`;

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export function toApiTokenDto(t: ApiTokenRow): ApiTokenDto {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    createdAt: iso(t.createdAt)!,
    lastUsedAt: iso(t.lastUsedAt),
    expiresAt: iso(t.expiresAt),
    revokedAt: iso(t.revokedAt),
  };
}
