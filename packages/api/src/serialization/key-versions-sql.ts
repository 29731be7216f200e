/**
 * Versions that tell a caller about the keys they can list and nothing else. A key's `version` is 1 at
 * creation and one more on each change of the key itself (rename, rotation), set by the changing statement
 * under the row's lock: no sequence shared with other keys or workspaces, whose values would count their
 * changes. A `lastUsedAt` stamp is not a change of the key, so it leaves the version (and a conditional rename)
 * alone. The SET expression of an UPDATE of `"RepoAiApiKey"` aliased `k`.
 */
export const nextKeyVersionSql = "k.version + 1";

/**
 * The digest of the listed keys (`keys`, a FROM item aliased `k`, filtered by `where`): their count and the XOR
 * of a 64-bit hash of each one's (id, version, lastUsedAt), computed in the reader's snapshot. It changes with
 * every change the list shows: a create or delete changes the set, a rename or rotation the key's version, a
 * stamp its `lastUsedAt` (which the list shows). A key's (id, version, lastUsedAt) never returns to an earlier
 * value (ids are never reused, versions and stamps only grow), so a digest never comes back to one a reader held
 * for a different list (but for a 2⁻⁶⁴ chance). It is a function of these keys' rows alone: what other
 * repositories or workspaces do never moves it, and nothing in it is not in the list itself.
 */
export const keyListDigestSql = (keys: string, where: string) => `(
  SELECT count(*)::text || '.' || to_hex(COALESCE(bit_xor(hashtextextended(
    k.id || '/' || k.version::text || '/' || COALESCE((extract(epoch FROM k."lastUsedAt") * 1000)::bigint::text, ''),
    0)), 0))
  FROM ${keys} WHERE ${where})`;

/** The digest of the whole list of repository `repoId` (an SQL expression): text, for the ETag. */
export const keyListVersionSql = (repoId: string) =>
  keyListDigestSql('"RepoAiApiKey" k', `k."repoId" = ${repoId} AND k."deletedAt" IS NULL`);
