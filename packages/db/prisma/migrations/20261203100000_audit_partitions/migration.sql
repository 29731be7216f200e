-- DropIndex
DROP INDEX "SystemEvent_workspaceId_timestamp_id_userId_idx";

-- DropIndex
DROP INDEX "SystemEvent_repoId_timestamp_id_workspaceId_userId_idx";

-- DropIndex
DROP INDEX "SystemEvent_contextId_timestamp_id_workspaceId_userId_idx";

-- DropIndex
DROP INDEX "SystemEvent_userId_timestamp_id_workspaceId_idx";

-- DropIndex
DROP INDEX "SystemEvent_timestamp_id_workspaceId_userId_idx";

-- AlterTable
ALTER TABLE "SystemEvent" ADD COLUMN     "via" TEXT NOT NULL DEFAULT '';

-- Events written before the column existed kept their channel only in jsonData (where it also stays).
UPDATE "SystemEvent" SET "via" = "jsonData"->>'via' WHERE "jsonData" ? 'via';

-- CreateIndex
CREATE INDEX "SystemEvent_workspaceId_context_event_via_timestamp_id_idx" ON "SystemEvent"("workspaceId", "context", "event", "via", "timestamp" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "SystemEvent_workspaceId_userId_context_event_via_timestamp__idx" ON "SystemEvent"("workspaceId", "userId", "context", "event", "via", "timestamp" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "SystemEvent_workspaceId_repoId_context_event_via_timestamp__idx" ON "SystemEvent"("workspaceId", "repoId", "context", "event", "via", "timestamp" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "SystemEvent_workspaceId_repoId_userId_context_event_via_tim_idx" ON "SystemEvent"("workspaceId", "repoId", "userId", "context", "event", "via", "timestamp" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "SystemEvent_workspaceId_contextId_context_event_via_timesta_idx" ON "SystemEvent"("workspaceId", "contextId", "context", "event", "via", "timestamp" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "SystemEvent_workspaceId_contextId_userId_context_event_via__idx" ON "SystemEvent"("workspaceId", "contextId", "userId", "context", "event", "via", "timestamp" DESC, "id" DESC);

