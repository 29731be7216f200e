-- Issue 22.2: verifications per key per UTC day, added to in batches by each instance (no write per verification).
-- CreateTable
CREATE TABLE "KeyUsageDay" (
    "keyId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "valid" BIGINT NOT NULL DEFAULT 0,
    "refused" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "KeyUsageDay_pkey" PRIMARY KEY ("keyId","day")
);

-- AddForeignKey
ALTER TABLE "KeyUsageDay" ADD CONSTRAINT "KeyUsageDay_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "RepoAiApiKey"("id") ON DELETE CASCADE ON UPDATE CASCADE;

