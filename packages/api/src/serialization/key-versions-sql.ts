/**
 * The key list's ETag without a row every change must lock (issue 20.1). Each key carries `version`, a fresh
 * value from its column's sequence, set by every statement that changes what the list shows of it (create,
 * rename, rotate, the `lastUsedAt` stamp); a delete takes the key out of the live set. The list's version is a
 * digest of that set, computed in the reader's snapshot: the count of live keys and the XOR of a 64-bit hash
 * of each one's version. Sequence values are never handed out twice, so every change replaces a version with
 * one the set never held, and the digest is a function of the committed rows alone: whatever order writers
 * drew their values or committed in, a reader whose snapshot includes a commit sees a different digest from
 * one whose snapshot does not (but for a 2⁻⁶⁴ chance). No counter, so no commit order to get wrong.
 * `hashint8extended` folds the high half into the low before hashing; XOR-ing the high half back keeps two
 * versions 2³² apart from hashing alike.
 */
export const nextKeyVersionSql = `nextval('"RepoAiApiKey_version_seq"')`;

/** The version of the list of repository `repoId` (an SQL expression): text, for the ETag. */
export const keyListVersionSql = (repoId: string) => `(
  SELECT count(*)::text || '.' || to_hex(COALESCE(bit_xor(hashint8extended(v.version, 0) # (v.version >> 32)), 0))
  FROM "RepoAiApiKey" v WHERE v."repoId" = ${repoId} AND v."deletedAt" IS NULL)`;
