/**
 * A CTE that bumps the repository's `keysVersion` when the CTE named `changed` returned a row: every statement
 * that changes what the key list shows puts it beside its change, so the version (the list's ETag) and the
 * change commit together, on whichever instance made it. The row lock makes concurrent changes to one
 * repository count one each.
 */
export function bumpKeysVersionCte(changed: string): string {
  return `keys_version AS (
    UPDATE "Repo" r SET "keysVersion" = r."keysVersion" + 1
    FROM access WHERE r.id = access.repo_id AND EXISTS (SELECT 1 FROM ${changed}))`;
}
