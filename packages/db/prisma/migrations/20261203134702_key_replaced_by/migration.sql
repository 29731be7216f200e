-- AlterTable
ALTER TABLE "RepoAiApiKey" ADD COLUMN     "replacedById" TEXT;

