// The floor of a rename (scenario `baseline`): ONE round trip, one statement that authorizes, locks and renames
// the live key and writes the SystemEvent: what the user asked, nothing the app chose on top.
// `?version=1` (scenario `baseline-version`) adds the one thing the app does for a feature, the key's new
// version for the list's ETag, so the bench reports that cost as its own line; `?webhooks=1` (scenario
// `baseline-webhooks`) adds the other, the queueing of the change's webhook deliveries (the bench's workspace
// has no endpoints, as most have: what every change pays is the probe for them); `?counter=1` (scenario
// `baseline-counter`) instead writes the repository's row in the same statement, as the per-repository
// `keysVersion` counter of the earlier design did, so both designs are measured side by side. BASELINE_BARE=1 (the old bare
// floor, `baseline-bare`, a reference only): the token looked up uncached, a round trip of its own.
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { keyEventDeliveriesCte, nextKeyVersionSql } from "@repokeys/api";
import { access, bare, fail, query, send, tokens, writeRoles } from "../floor-kit";

/** The rename with authorization: $1 user, $2 repo, $3 key, $4 name. One statement, as the app's. */
const renameStatement = (setVersion: string, counterRow = "", deliveries = "") => `
  WITH ${access("$1", "$2")},
  target AS (
    SELECT k.id, k.name FROM "RepoAiApiKey" k JOIN access ON k."repoId" = access.repo_id
    WHERE k.id = $3 AND k."deletedAt" IS NULL AND access.role IN ${writeRoles}
    FOR UPDATE OF k),
  renamed AS (
    UPDATE "RepoAiApiKey" k SET name = $4, "updatedAt" = now()${setVersion}
    FROM target
    WHERE k.id = target.id AND $4::text IS NOT NULL AND target.name IS DISTINCT FROM $4::text
    RETURNING k.id, target.name AS before, k.name AS after),${counterRow}
  event AS (
    INSERT INTO "SystemEvent" (context, "contextId", event, "userId", "workspaceId", "repoId", via, "jsonData")
    SELECT 'aillmapikey', renamed.id, 'updated', $1, access.workspace_id, $2::text, 'rest',
           jsonb_build_object('repoId', $2::text, 'apikeyId', renamed.id,
             'before', jsonb_build_object('name', renamed.before), 'after', jsonb_build_object('name', renamed.after),
             'via', 'rest')
    FROM renamed, access
    RETURNING id)${deliveries}
  SELECT (SELECT role FROM access) AS role, EXISTS (SELECT 1 FROM target) AS found`;
const plainRename = renameStatement("");
const versionedRename = renameStatement(`, version = ${nextKeyVersionSql}`);
const webhooksRename = renameStatement(
  "",
  "",
  `,
  ${keyEventDeliveriesCte({
    event: "apikey.updated",
    source: "renamed",
    workspaceId: "(SELECT workspace_id FROM access)",
    userId: "$1",
    repoId: "$2::text",
    viaParam: "'rest'",
    before: "jsonb_build_object('name', renamed.before)",
    after: "jsonb_build_object('name', renamed.after)",
    // The app's default WEBHOOK_MAX_QUEUED_PER_WORKSPACE: the queue's cap is part of what the feature costs.
    maxQueued: "5000",
  })}`,
);
const counterRename = renameStatement(
  "",
  `
  counter AS (
    UPDATE "Repo" r SET name = r.name FROM access WHERE r.id = access.repo_id AND EXISTS (SELECT 1 FROM renamed)),`,
);

/** The old bare floor's token lookup: the token's user and role, uncached, a round trip of its own. */
const bareAuthQuery = `
  SELECT u.id AS user_id, m.role::text AS role
  FROM "ApiToken" t
  JOIN "User" u ON u.id = t."userId"
  LEFT JOIN "Repo" r ON r.id = $2
  LEFT JOIN "WorkspaceMember" m ON m."workspaceId" = r."workspaceId" AND m."userId" = u.id
  WHERE t."tokenHash" = $1 AND t."revokedAt" IS NULL AND (t."expiresAt" IS NULL OR t."expiresAt" > now())`;

export async function renameFloor(
  req: IncomingMessage,
  res: ServerResponse,
  repoId: string,
  apikeyId: string,
  feature: "version" | "webhooks" | "counter" | undefined,
) {
  const auth = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? "");
  if (!auth) return fail(res, 401, "Unauthorized");
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
  const name = typeof body.name === "string" ? body.name.trim() : undefined;
  if (name === "") return fail(res, 400, "Name must not be empty");
  let userId: string | null;
  if (bare) {
    const hash = createHash("sha256").update(auth[1]!).digest();
    const [holder] = await query<{ user_id: string; role: string | null }>(bareAuthQuery, [hash, repoId]);
    userId = holder?.user_id ?? null;
  } else userId = (await tokens.verify(auth[1]!))?.userId ?? null;
  if (!userId) return fail(res, 401, "Unauthorized");
  const [result] = await query<{ role: string | null; found: boolean }>(
    feature ? { version: versionedRename, webhooks: webhooksRename, counter: counterRename }[feature] : plainRename,
    [userId, repoId, apikeyId, name ?? null],
  );
  if (!result?.role) return fail(res, 403, "No access to this repository");
  if (!result.found) return fail(res, 404, "API key not found");
  send(res, 200, '{"success":true,"message":"AI API key updated successfully"}');
}
