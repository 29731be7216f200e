-- CreateTable
CREATE TABLE "CredentialCheckKey" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "keyCiphertext" BYTEA NOT NULL,
    "masterKeyVersion" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CredentialCheckKey_pkey" PRIMARY KEY ("id")
);

