-- Webhook secret rotation with a grace period (Stripe's scheme): the replaced secret signs too for 24 h.
-- AlterTable
ALTER TABLE "WebhookEndpoint" ADD COLUMN     "previousMasterKeyVersion" INTEGER,
ADD COLUMN     "previousSecretCiphertext" BYTEA,
ADD COLUMN     "previousSecretExpiresAt" TIMESTAMPTZ(3);

