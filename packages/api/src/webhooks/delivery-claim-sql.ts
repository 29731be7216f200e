import { recordSystemEventCte } from "../audit/system-event";

/** A claimed delivery with what its attempt needs: the endpoint's URL and sealed secrets. */
export interface ClaimedDelivery extends Record<string, unknown> {
  id: string;
  endpointId: string;
  workspaceId: string;
  /** Written at the claim: only the attempt holding it may record an outcome. */
  claimToken: string;
  eventId: string;
  event: string;
  payload: unknown;
  attempts: number;
  retryFrom: Date | string;
  createdAt: Date | string;
  url: string;
  secretCiphertext: Uint8Array;
  masterKeyVersion: number;
  /** The rotated-out secret while it still signs, else null. */
  previousSecretCiphertext: Uint8Array | null;
  previousMasterKeyVersion: number | null;
}

/** An endpoint that has a delivery out: its claim holds it until recorded, or until the lease ends. */
const outSql = (e: string) => `${e}."claimToken" IS NOT NULL AND ${e}."holdUntil" > now()`;

/**
 * Claims at most `$1` due deliveries, at most one per endpoint, taking turns across workspaces. An endpoint is
 * claimable when it is live, not paused and not held (by an attempt out, on any instance, or by its backoff after
 * a failure). Candidates are ranked by their workspace's attempts already out plus their turn within the
 * workspace, then by how long their oldest delivery has been due; a workspace already at `$3` attempts out gets
 * no more. The endpoint rows are locked (SKIP LOCKED), and the hold is re-checked on the row locked, so two
 * instances never claim one endpoint at once. Each claim writes one token into the endpoint and its delivery,
 * counts the attempt and moves both `holdUntil` and `nextAttemptAt` to the end of its lease `$2`: an instance
 * killed mid-attempt leaves the delivery due and the endpoint free again then, so nothing is lost. The URL and
 * secrets sent with come from the endpoint row as locked, so a change committed while the claim waited for its
 * lock is the one used, not the statement's older snapshot of it.
 */
export const claimStatement = `
  WITH candidate AS (
    SELECT e.id, e."workspaceId",
           (SELECT min(d."nextAttemptAt") FROM "WebhookDelivery" d WHERE d."endpointId" = e.id) AS due_at
    FROM "WebhookEndpoint" e
    WHERE e."deletedAt" IS NULL AND e."pausedAt" IS NULL AND (e."holdUntil" IS NULL OR e."holdUntil" <= now())),
  workspace_out AS (
    SELECT e."workspaceId", count(*) AS n FROM "WebhookEndpoint" e
    WHERE ${outSql("e")} AND e."workspaceId" IN (SELECT "workspaceId" FROM candidate)
    GROUP BY e."workspaceId"),
  ranked AS (
    SELECT c.id, c.due_at,
           COALESCE(w.n, 0) + row_number() OVER (PARTITION BY c."workspaceId" ORDER BY c.due_at, c.id) AS turn
    FROM candidate c LEFT JOIN workspace_out w ON w."workspaceId" = c."workspaceId"
    WHERE c.due_at <= now()),
  endpoint AS (
    SELECT e.id, e."workspaceId", e.url, e."secretCiphertext", e."masterKeyVersion",
           CASE WHEN e."previousSecretExpiresAt" > now() THEN e."previousSecretCiphertext" END AS previous_ciphertext,
           CASE WHEN e."previousSecretExpiresAt" > now() THEN e."previousMasterKeyVersion" END AS previous_version
    FROM "WebhookEndpoint" e JOIN ranked r ON r.id = e.id
    WHERE r.turn <= $3 AND e."deletedAt" IS NULL AND e."pausedAt" IS NULL
      AND (e."holdUntil" IS NULL OR e."holdUntil" <= now())
    ORDER BY r.turn, r.due_at, e.id
    LIMIT $1
    FOR UPDATE OF e SKIP LOCKED),
  claim AS MATERIALIZED (
    SELECT due.id, endpoint.id AS endpoint_id, endpoint."workspaceId", endpoint.url, endpoint."secretCiphertext",
           endpoint."masterKeyVersion", endpoint.previous_ciphertext, endpoint.previous_version,
           gen_random_uuid()::text AS token
    FROM endpoint CROSS JOIN LATERAL (
      SELECT d.id FROM "WebhookDelivery" d
      WHERE d."endpointId" = endpoint.id AND d."nextAttemptAt" <= now()
      ORDER BY d."nextAttemptAt"
      LIMIT 1
      FOR UPDATE SKIP LOCKED) due),
  held AS (
    UPDATE "WebhookEndpoint" e
    SET "holdUntil" = now() + make_interval(secs => $2::double precision / 1000), "claimToken" = claim.token
    FROM claim WHERE e.id = claim.endpoint_id)
  UPDATE "WebhookDelivery" d
  SET attempts = d.attempts + 1, "nextAttemptAt" = now() + make_interval(secs => $2::double precision / 1000),
      "claimToken" = claim.token
  FROM claim
  WHERE d.id = claim.id
  RETURNING d.id, d."endpointId", claim."workspaceId", claim.token AS "claimToken", d."eventId", d.event, d.payload,
            d.attempts, d."retryFrom", d."createdAt", claim.url, claim."secretCiphertext", claim."masterKeyVersion",
            claim.previous_ciphertext AS "previousSecretCiphertext", claim.previous_version AS "previousMasterKeyVersion"`;

/**
 * An attempt's outcome, recorded only by the claim that holds it (`$2`, its token).
 *
 * The delivery, if it is still this claim's and still pending or retrying (a delete fails it, a resend clears its
 * token, a lapsed lease lets another claim take it): delivered; or retried after `$3` ms unless that is past the
 * retry window `$4`, then failed.
 *
 * The endpoint, if this claim still holds it: released; after a failure held for its backoff (`$10` ms doubled for
 * each failure in a row, at most `$11`), and paused at `$12` failures in a row, which records a system event of
 * the workspace's webhook settings (by no person, via `worker`), as the pause is a change of the endpoint. An
 * endpoint deleted while the attempt was out is not paused: its last event stays the deletion.
 */
export const recordStatement = `
  WITH outcome AS (
    SELECT $9::boolean AS delivered,
           now() + make_interval(secs => $3::double precision / 1000) AS next_at),
  released AS (
    UPDATE "WebhookEndpoint" e
    SET "claimToken" = NULL,
        "failureStreak" = CASE WHEN outcome.delivered THEN 0 ELSE e."failureStreak" + 1 END,
        "holdUntil" = CASE WHEN outcome.delivered THEN NULL
                           ELSE now() + make_interval(secs => least($11::double precision,
                                          $10::double precision * power(2, least(e."failureStreak", 30))) / 1000) END,
        "pausedAt" = CASE WHEN NOT outcome.delivered AND e."failureStreak" + 1 >= $12 AND e."deletedAt" IS NULL
                          THEN now() ELSE e."pausedAt" END
    FROM outcome
    WHERE e."claimToken" = $2
    RETURNING e.id, e."workspaceId", e."failureStreak", e."pausedAt", e."deletedAt"),
  paused AS (
    SELECT released.id, released."workspaceId", released."failureStreak" FROM released, outcome
    WHERE NOT outcome.delivered AND released."failureStreak" = $12 AND released."deletedAt" IS NULL),
  ${recordSystemEventCte({
    context: "webhookendpoint",
    event: "updated",
    source: "paused",
    contextId: "paused.id",
    workspaceId: 'paused."workspaceId"',
    userId: "NULL",
    jsonData: `jsonb_build_object('before', jsonb_build_object('paused', false),
                                  'after', jsonb_build_object('paused', true, 'failuresInARow', paused."failureStreak"))`,
    viaParam: "'worker'",
  })}
  UPDATE "WebhookDelivery" d
  SET status = CASE WHEN outcome.delivered THEN 'delivered'
                    WHEN outcome.next_at > d."retryFrom" + make_interval(secs => $4::double precision / 1000) THEN 'failed'
                    ELSE 'retrying' END,
      "nextAttemptAt" = CASE WHEN outcome.delivered
                               OR outcome.next_at > d."retryFrom" + make_interval(secs => $4::double precision / 1000)
                             THEN NULL ELSE outcome.next_at END,
      "lastStatusCode" = $5, "lastLatencyMs" = $6, "lastError" = $7, "lastAttemptAt" = $8, "claimToken" = NULL
  FROM outcome
  WHERE d.id = $1 AND d."claimToken" = $2 AND d.status IN ('pending', 'retrying')`;
