// The floor of a list (scenarios `list-floor`, `list20-floor`): the app's list statement with the JSON built by
// PostgreSQL as text and written through untouched, and nothing else: no ETag. `?etag=1`
// (scenario `list-floor-etag`) adds the app's ETag, the digest of the keys' versions computed in the same
// statement, so its cost is a line of its own; the bench also checks that tag against the app's.
import type { IncomingMessage, ServerResponse } from "node:http";
import { compactJsonArraySql, keyListVersionSql, listedAiApiKeyJsonSql } from "@repokeys/api";
import { access, fail, query, send, userOf } from "../floor-kit";

/** The app's list, as JSON text (the app's own expression per key): role and the keys, in one statement. */
const listStatement = (version: string) => `
  WITH ${access("$1", "$2")}
  SELECT access.role${version}, (
    SELECT ${compactJsonArraySql(listedAiApiKeyJsonSql, 'k."createdAt" DESC, k.id DESC')}
    FROM "RepoAiApiKey" k
    WHERE k."repoId" = access.repo_id AND k."deletedAt" IS NULL) AS keys
  FROM access`;
const plainList = listStatement("");
const taggedList = listStatement(`, ${keyListVersionSql("access.repo_id")} AS version`);

export async function listFloor(req: IncomingMessage, res: ServerResponse, repoId: string, withEtag: boolean) {
  const userId = await userOf(req);
  if (!userId) return fail(res, 401, "Unauthorized");
  const [row] = await query<{ role: string; version?: string; keys: string }>(withEtag ? taggedList : plainList, [
    userId,
    repoId,
  ]);
  if (!row) return fail(res, 403, "No access to this repository");
  send(
    res,
    200,
    `{"success":true,"apiKeys":${row.keys}}`,
    withEtag ? { etag: `"${repoId}.${row.version}"`, "cache-control": "private, no-cache" } : {},
  );
}
