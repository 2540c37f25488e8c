-- CreateEnum
CREATE TYPE "ModelStage" AS ENUM ('CANDIDATE', 'SHADOW', 'CANARY', 'PRODUCTION', 'ARCHIVED');

-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" TEXT NOT NULL,
    "modelType" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "placement" TEXT NOT NULL DEFAULT 'home',
    "datasetId" TEXT NOT NULL,
    "dataFingerprint" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "metrics" JSONB NOT NULL,
    "protocol" TEXT,
    "artifactUri" TEXT NOT NULL,
    "stage" "ModelStage" NOT NULL DEFAULT 'CANDIDATE',
    "canaryPercent" SMALLINT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT,
    "promotedAt" TIMESTAMPTZ(3),
    "promotedBy" TEXT,

    CONSTRAINT "ModelVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelStageChange" (
    "id" BIGSERIAL NOT NULL,
    "modelVersionId" TEXT NOT NULL,
    "placement" TEXT NOT NULL,
    "fromStage" "ModelStage",
    "toStage" "ModelStage" NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "forced" BOOLEAN NOT NULL DEFAULT false,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelStageChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ModelVersion_placement_stage_idx" ON "ModelVersion"("placement", "stage");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_modelType_version_key" ON "ModelVersion"("modelType", "version");

-- CreateIndex
CREATE INDEX "ModelStageChange_modelVersionId_occurredAt_idx" ON "ModelStageChange"("modelVersionId", "occurredAt");

-- CreateIndex
CREATE INDEX "ModelStageChange_placement_occurredAt_idx" ON "ModelStageChange"("placement", "occurredAt");

-- AddForeignKey
ALTER TABLE "ModelStageChange" ADD CONSTRAINT "ModelStageChange_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- At most one production version per placement (Prisma cannot express a partial unique index).
CREATE UNIQUE INDEX "ModelVersion_one_production_per_placement" ON "ModelVersion"("placement") WHERE "stage" = 'PRODUCTION';
