-- Webhook deliveries: one attempt at a time per endpoint (its claim and backoff), a pause after repeated
-- failures, a token per claim so that only the claim that holds a delivery records its outcome, and the
-- indexes of the fair claim (an endpoint's next due delivery) and of the log's retention.
-- AlterTable
ALTER TABLE "WebhookEndpoint" ADD COLUMN     "claimToken" TEXT,
ADD COLUMN     "droppedDeliveries" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "failureStreak" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "holdUntil" TIMESTAMPTZ(3),
ADD COLUMN     "pausedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "claimToken" TEXT;

-- DropIndex
DROP INDEX "WebhookDelivery_nextAttemptAt_idx";

-- CreateIndex
CREATE INDEX "WebhookDelivery_endpointId_nextAttemptAt_idx" ON "WebhookDelivery"("endpointId", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_createdAt_idx" ON "WebhookDelivery"("createdAt");
