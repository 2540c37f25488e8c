-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('USER', 'PROVIDER', 'ADMIN');

-- CreateEnum
CREATE TYPE "PricingModel" AS ENUM ('FREE', 'PAY_AS_YOU_GO', 'SUBSCRIPTION', 'ENTERPRISE');

-- CreateEnum
CREATE TYPE "ServiceStatus" AS ENUM ('ACTIVE', 'RETIRED');

-- CreateEnum
CREATE TYPE "InteractionType" AS ENUM ('IMPRESSION', 'VIEW', 'CLICK', 'API_CALL', 'SUBSCRIBE', 'FAVORITE', 'RATING', 'REVIEW', 'PURCHASE');

-- CreateTable
CREATE TABLE "Dataset" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "description" TEXT,
    "fingerprint" TEXT,
    "importedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "datasetId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "role" "UserRole" NOT NULL DEFAULT 'USER',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "age" INTEGER,
    "gender" TEXT,
    "occupation" TEXT,
    "zipCode" TEXT,
    "country" TEXT,
    "attributes" JSONB,

    CONSTRAINT "User_pkey" PRIMARY KEY ("datasetId","id")
);

-- CreateTable
CREATE TABLE "Provider" (
    "datasetId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "website" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Provider_pkey" PRIMARY KEY ("datasetId","id")
);

-- CreateTable
CREATE TABLE "Service" (
    "datasetId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "providerId" TEXT,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "categories" TEXT[],
    "tags" TEXT[],
    "pricingModel" "PricingModel" NOT NULL DEFAULT 'PAY_AS_YOU_GO',
    "priceTier" SMALLINT NOT NULL DEFAULT 0,
    "priceUsd" DOUBLE PRECISION,
    "priceUnit" TEXT,
    "freeTier" BOOLEAN NOT NULL DEFAULT false,
    "status" "ServiceStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attributes" JSONB,

    CONSTRAINT "Service_pkey" PRIMARY KEY ("datasetId","id")
);

-- CreateTable
CREATE TABLE "Interaction" (
    "id" BIGSERIAL NOT NULL,
    "datasetId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "type" "InteractionType" NOT NULL,
    "value" DOUBLE PRECISION,
    "dwellMs" INTEGER,
    "sessionId" TEXT,
    "requestId" TEXT,
    "context" JSONB,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "idempotencyKey" TEXT NOT NULL,

    CONSTRAINT "Interaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TagAssignment" (
    "id" BIGSERIAL NOT NULL,
    "datasetId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TagAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Service_datasetId_status_idx" ON "Service"("datasetId", "status");

-- CreateIndex
CREATE INDEX "Interaction_datasetId_userId_occurredAt_idx" ON "Interaction"("datasetId", "userId", "occurredAt");

-- CreateIndex
CREATE INDEX "Interaction_datasetId_serviceId_occurredAt_idx" ON "Interaction"("datasetId", "serviceId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "Interaction_datasetId_idempotencyKey_key" ON "Interaction"("datasetId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "TagAssignment_datasetId_serviceId_idx" ON "TagAssignment"("datasetId", "serviceId");

-- CreateIndex
CREATE UNIQUE INDEX "TagAssignment_datasetId_userId_serviceId_tag_key" ON "TagAssignment"("datasetId", "userId", "serviceId", "tag");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Provider" ADD CONSTRAINT "Provider_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Service" ADD CONSTRAINT "Service_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Service" ADD CONSTRAINT "Service_datasetId_providerId_fkey" FOREIGN KEY ("datasetId", "providerId") REFERENCES "Provider"("datasetId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_datasetId_userId_fkey" FOREIGN KEY ("datasetId", "userId") REFERENCES "User"("datasetId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_datasetId_serviceId_fkey" FOREIGN KEY ("datasetId", "serviceId") REFERENCES "Service"("datasetId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TagAssignment" ADD CONSTRAINT "TagAssignment_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TagAssignment" ADD CONSTRAINT "TagAssignment_datasetId_userId_fkey" FOREIGN KEY ("datasetId", "userId") REFERENCES "User"("datasetId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TagAssignment" ADD CONSTRAINT "TagAssignment_datasetId_serviceId_fkey" FOREIGN KEY ("datasetId", "serviceId") REFERENCES "Service"("datasetId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
