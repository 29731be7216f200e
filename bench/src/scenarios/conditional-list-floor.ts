// The floor's conditional list: `If-None-Match` gets 304 after one statement (role + version).
import type { ServerResponse } from "node:http";
import { access, fail, query } from "../floor-kit";

const versionStatement = `
  WITH ${access("$1", "$2")}
  SELECT access.role, r."keysVersion"::text AS version FROM access JOIN "Repo" r ON r.id = access.repo_id`;

export const etagOf = (repoId: string, version: string) => `"${repoId}.${version}"`;
const matches = (header: string, etag: string) =>
  header.trim() === "*" || header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);

/** Answers 304 (or 403) and says so; false: the list must be sent. */
export async function conditionalListFloor(
  res: ServerResponse,
  userId: string,
  repoId: string,
  ifNoneMatch: string,
): Promise<boolean> {
  const [current] = await query<{ role: string; version: string }>(versionStatement, [userId, repoId]);
  if (!current) {
    fail(res, 403, "No access to this repository");
    return true;
  }
  const etag = etagOf(repoId, current.version);
  if (!matches(ifNoneMatch, etag)) return false;
  res.writeHead(304, { etag, "cache-control": "private, no-cache" });
  res.end();
  return true;
}
