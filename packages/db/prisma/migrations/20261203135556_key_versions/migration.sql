-- Issue 20.1: the list's ETag from per-key versions (a sequence) instead of one counter row per repository,
-- which every change in a repository had to lock until commit. Existing keys get versions in table order.
-- AlterTable
ALTER TABLE "Repo" DROP COLUMN "keysVersion";

-- AlterTable
ALTER TABLE "RepoAiApiKey" ADD COLUMN     "version" BIGSERIAL NOT NULL;

