import type { SqlRunner } from "@repokeys/db";

/** How far ahead of a key's expiry `apikey.expiring` is sent. */
export const expiringNoticeDays = 7;

/**
 * Queues `apikey.expiring` for every live, unrotated key that expires within the next 7 days, once per key and
 * endpoint: the event id names the key and its expiry, and the (endpointId, eventId) unique index makes a
 * repeat (the next sweep, another instance's sweep) insert nothing. A key whose expiry changes is announced
 * again. Reads the keys by their expiry index, so a sweep costs what is about to expire, not the table.
 * A rotated key is left out: its rotation's event already said when it stops working.
 */
const sweepStatement = `
  INSERT INTO "WebhookDelivery" ("endpointId", "eventId", event, payload)
  SELECT e.id,
         'evt_expiring_' || k.id || '_' || (extract(epoch FROM k."expiresAt") * 1000)::bigint,
         'apikey.expiring',
         jsonb_build_object('workspaceId', r."workspaceId", 'repoId', k."repoId", 'apikeyId', k.id, 'name', k.name,
                            'key', k.key, 'expiresAt', k."expiresAt")
  FROM "RepoAiApiKey" k
  JOIN "Repo" r ON r.id = k."repoId"
  JOIN "WebhookEndpoint" e ON e."workspaceId" = r."workspaceId" AND e."deletedAt" IS NULL
                          AND 'apikey.expiring' = ANY (e.events)
  WHERE k."expiresAt" > now() AND k."expiresAt" <= now() + make_interval(days => $1)
    AND k."deletedAt" IS NULL AND k."replacedById" IS NULL
  ON CONFLICT ("endpointId", "eventId") DO NOTHING`;

export async function queueExpiringEvents(sql: SqlRunner): Promise<void> {
  await sql.query(sweepStatement, [expiringNoticeDays]);
}
