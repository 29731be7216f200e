-- DropIndex
DROP INDEX "SystemEvent_workspaceId_timestamp_idx";

-- DropIndex
DROP INDEX "SystemEvent_context_contextId_timestamp_idx";

-- AlterTable
ALTER TABLE "SystemEvent" ADD COLUMN     "repoId" TEXT,
ALTER COLUMN "workspaceId" DROP NOT NULL;

-- Events written before the column existed kept their repository only in jsonData.
UPDATE "SystemEvent" SET "repoId" = "jsonData"->>'repoId' WHERE "jsonData" ? 'repoId';

-- CreateIndex
CREATE INDEX "SystemEvent_workspaceId_timestamp_id_userId_idx" ON "SystemEvent"("workspaceId", "timestamp" DESC, "id" DESC, "userId");

-- CreateIndex
CREATE INDEX "SystemEvent_repoId_timestamp_id_workspaceId_userId_idx" ON "SystemEvent"("repoId", "timestamp" DESC, "id" DESC, "workspaceId", "userId");

-- CreateIndex
CREATE INDEX "SystemEvent_contextId_timestamp_id_workspaceId_userId_idx" ON "SystemEvent"("contextId", "timestamp" DESC, "id" DESC, "workspaceId", "userId");

-- CreateIndex
CREATE INDEX "SystemEvent_userId_timestamp_id_workspaceId_idx" ON "SystemEvent"("userId", "timestamp" DESC, "id" DESC, "workspaceId");

-- CreateIndex
CREATE INDEX "SystemEvent_timestamp_id_workspaceId_userId_idx" ON "SystemEvent"("timestamp" DESC, "id" DESC, "workspaceId", "userId");

