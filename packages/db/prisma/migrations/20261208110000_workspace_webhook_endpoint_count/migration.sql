-- A workspace's live webhook endpoints, counted on its row: creation raises it only while under the cap, in the
-- statement that creates, and waits on the row lock, so racing creations cannot pass the cap together.
ALTER TABLE "Workspace" ADD COLUMN "webhookEndpointCount" INTEGER NOT NULL DEFAULT 0;

UPDATE "Workspace" w SET "webhookEndpointCount" = live.n
FROM (SELECT "workspaceId", count(*)::int AS n FROM "WebhookEndpoint" WHERE "deletedAt" IS NULL GROUP BY "workspaceId") live
WHERE w.id = live."workspaceId";
