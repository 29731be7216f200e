import { accessGrants } from "../../authz/repo-access";

/** `MAX_KEYS_PER_REPO`'s default: the most live keys (not deleted; rotated and expired ones count) a repository holds. */
export const defaultMaxKeysPerRepo = 10_000;

/** `MAX_KEYS_PER_REPO`: a whole number from 1 to 1,000,000. */
export function maxKeysPerRepoFromEnv(env: NodeJS.ProcessEnv): number {
  const value = Number(env.MAX_KEYS_PER_REPO ?? defaultMaxKeysPerRepo);
  if (!Number.isInteger(value) || value < 1 || value > 1_000_000) {
    throw new Error(`MAX_KEYS_PER_REPO must be a whole number from 1 to 1000000, not "${env.MAX_KEYS_PER_REPO}".`);
  }
  return value;
}

/**
 * A CTE named `slot`: one more live key counted on the repository of `access`, only if the caller may write and
 * the count is below `capParam`, and only `when` (an SQL condition). The statement that creates the key inserts
 * it only if `slot` has its row. The UPDATE locks the repository's row, and a concurrent one re-reads the count
 * its predecessor committed before it checks the cap, so no race of creates passes it.
 */
export function keySlotCte(capParam: string, when = "true"): string {
  return `slot AS (
    UPDATE "Repo" r SET "liveKeyCount" = r."liveKeyCount" + 1
    FROM access
    WHERE r.id = access.repo_id AND ${accessGrants("write")} AND r."liveKeyCount" < ${capParam} AND ${when}
    RETURNING r.id)`;
}

/** A CTE named `uncounted`: the repository's count one lower when `deletedCte` deleted its key. */
export function keySlotReleasedCte(deletedCte: string): string {
  return `uncounted AS (
    UPDATE "Repo" r SET "liveKeyCount" = r."liveKeyCount" - 1
    FROM ${deletedCte}
    WHERE r.id = ${deletedCte}."repoId")`;
}
