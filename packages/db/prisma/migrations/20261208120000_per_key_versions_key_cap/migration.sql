-- Keys count their own versions (1 at creation, one more on each change of the key) instead of drawing them
-- from one sequence shared by every workspace, whose values told how much the whole instance had changed.
-- Existing keys start again at 1: a client holding an old version gets 412 on a conditional rename and
-- reads the list again.
-- AlterTable
ALTER TABLE "RepoAiApiKey" ALTER COLUMN "version" SET DEFAULT 1;
DROP SEQUENCE "RepoAiApiKey_version_seq";
UPDATE "RepoAiApiKey" SET "version" = 1;

-- A repository's live keys, counted by the statements that create and delete them, which cap it
-- (MAX_KEYS_PER_REPO) under the row's lock.
-- AlterTable
ALTER TABLE "Repo" ADD COLUMN     "liveKeyCount" INTEGER NOT NULL DEFAULT 0;
UPDATE "Repo" r SET "liveKeyCount" = (SELECT count(*) FROM "RepoAiApiKey" k WHERE k."repoId" = r.id AND k."deletedAt" IS NULL);
