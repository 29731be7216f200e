-- AlterTable
ALTER TABLE "Repo" ADD COLUMN     "keysVersion" BIGINT NOT NULL DEFAULT 0;

