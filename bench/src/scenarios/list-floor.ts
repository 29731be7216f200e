// The floor of a list (scenarios `list-floor`, `list20-floor`): the app's list statement with the JSON built by
// PostgreSQL as text and written through untouched, with the same ETag; `If-None-Match` (the floor of
// `list-304`, src/scenarios/conditional-list-floor.ts) answers first.
import type { IncomingMessage, ServerResponse } from "node:http";
import { compactJsonArraySql, listedAiApiKeyJsonSql } from "@repokeys/api";
import { access, fail, query, send, userOf } from "../floor-kit";
import { conditionalListFloor, etagOf } from "./conditional-list-floor";

/** The app's list, as JSON text (the app's own expression per key): role, version and the keys, in one statement. */
const listStatement = `
  WITH ${access("$1", "$2")}
  SELECT access.role, (SELECT "keysVersion"::text FROM "Repo" WHERE id = access.repo_id) AS version, (
    SELECT ${compactJsonArraySql(listedAiApiKeyJsonSql, 'k."createdAt" DESC, k.id DESC')}
    FROM "RepoAiApiKey" k
    WHERE k."repoId" = access.repo_id AND k."deletedAt" IS NULL) AS keys
  FROM access`;

export async function listFloor(req: IncomingMessage, res: ServerResponse, repoId: string) {
  const userId = await userOf(req);
  if (!userId) return fail(res, 401, "Unauthorized");
  const ifNoneMatch = req.headers["if-none-match"];
  if (ifNoneMatch && (await conditionalListFloor(res, userId, repoId, ifNoneMatch))) return;
  const [row] = await query<{ role: string; version: string; keys: string }>(listStatement, [userId, repoId]);
  if (!row) return fail(res, 403, "No access to this repository");
  send(res, 200, `{"success":true,"apiKeys":${row.keys}}`, {
    etag: etagOf(repoId, row.version),
    "cache-control": "private, no-cache",
  });
}
