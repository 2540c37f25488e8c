-- CreateEnum
CREATE TYPE "TrackingRunStatus" AS ENUM ('RUNNING', 'FINISHED', 'FAILED', 'KILLED');

-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN     "sourceJobId" TEXT,
ADD COLUMN     "trackingRunId" TEXT;

-- CreateTable
CREATE TABLE "TrackingExperiment" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrackingExperiment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackingRun" (
    "id" TEXT NOT NULL,
    "experimentId" TEXT NOT NULL,
    "name" TEXT,
    "status" "TrackingRunStatus" NOT NULL DEFAULT 'RUNNING',
    "params" JSONB NOT NULL DEFAULT '{}',
    "tags" JSONB NOT NULL DEFAULT '{}',
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMPTZ(3),

    CONSTRAINT "TrackingRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackingMetric" (
    "id" BIGSERIAL NOT NULL,
    "runId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "step" INTEGER NOT NULL DEFAULT 0,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TrackingMetric_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackingArtifact" (
    "id" BIGSERIAL NOT NULL,
    "runId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "uri" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrackingArtifact_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TrackingExperiment_name_key" ON "TrackingExperiment"("name");

-- CreateIndex
CREATE INDEX "TrackingRun_experimentId_startedAt_idx" ON "TrackingRun"("experimentId", "startedAt");

-- CreateIndex
CREATE INDEX "TrackingMetric_runId_key_step_idx" ON "TrackingMetric"("runId", "key", "step");

-- CreateIndex
CREATE UNIQUE INDEX "TrackingArtifact_runId_path_key" ON "TrackingArtifact"("runId", "path");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_sourceJobId_key" ON "ModelVersion"("sourceJobId");

-- AddForeignKey
ALTER TABLE "TrackingRun" ADD CONSTRAINT "TrackingRun_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "TrackingExperiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrackingMetric" ADD CONSTRAINT "TrackingMetric_runId_fkey" FOREIGN KEY ("runId") REFERENCES "TrackingRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrackingArtifact" ADD CONSTRAINT "TrackingArtifact_runId_fkey" FOREIGN KEY ("runId") REFERENCES "TrackingRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
