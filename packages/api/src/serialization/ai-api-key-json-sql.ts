import { compactJsonObjectSql } from "./compact-json-sql";

/** The same ISO 8601 form as `Date#toISOString` (timestamps are stored to the millisecond). */
const isoUtc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * One listed key (a `"RepoAiApiKey"` row aliased `k`) as compact JSON text: the public columns only, in the
 * order `RepoAiApiKeyDto` lists them. The list statement and the bench's list floor both build it from here.
 */
export const listedAiApiKeyJsonSql = compactJsonObjectSql({
  id: "k.id",
  name: "k.name",
  repoId: 'k."repoId"',
  key: "k.key",
  aiType: 'k."aiType"',
  createdAt: isoUtc('k."createdAt"'),
  deletedAt: "NULL::text",
  expiresAt: isoUtc('k."expiresAt"'),
  lastUsedAt: isoUtc('k."lastUsedAt"'),
  version: "k.version::text",
  replacedById: 'k."replacedById"',
});
