-- A/B experiments (packages/experiments): definitions, variants and exposure logs.
-- Generated with `prisma migrate diff` from the schema, then the CHECK constraints and the partial
-- index on Interaction added by hand (Prisma cannot express either).

-- CreateEnum
CREATE TYPE "ExperimentStatus" AS ENUM ('DRAFT', 'RUNNING', 'STOPPED');

-- CreateTable
CREATE TABLE "Experiment" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "placement" TEXT NOT NULL,
    "status" "ExperimentStatus" NOT NULL DEFAULT 'DRAFT',
    "startAt" TIMESTAMPTZ(3),
    "endAt" TIMESTAMPTZ(3),
    "primaryMetric" TEXT NOT NULL,
    "guardrailMetrics" TEXT[],
    "minSampleSize" INTEGER NOT NULL,
    "alpha" DOUBLE PRECISION NOT NULL DEFAULT 0.05,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3),
    "startedBy" TEXT,
    "stoppedAt" TIMESTAMPTZ(3),
    "stoppedBy" TEXT,

    CONSTRAINT "Experiment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExperimentVariant" (
    "id" TEXT NOT NULL,
    "experimentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" SMALLINT NOT NULL,
    "share" DOUBLE PRECISION NOT NULL,
    "modelVersionId" TEXT,
    "policy" TEXT,
    "shadow" BOOLEAN NOT NULL DEFAULT false,
    "canary" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ExperimentVariant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExperimentExposure" (
    "id" BIGSERIAL NOT NULL,
    "experimentId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "placement" TEXT NOT NULL,
    "modelVersionId" TEXT,
    "modelVersion" TEXT NOT NULL,
    "shown" BOOLEAN NOT NULL,
    "assignmentProbability" DOUBLE PRECISION NOT NULL,
    "items" JSONB NOT NULL,
    "servedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ExperimentExposure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Experiment_name_key" ON "Experiment"("name");

-- CreateIndex
CREATE INDEX "Experiment_placement_status_idx" ON "Experiment"("placement", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ExperimentVariant_experimentId_name_key" ON "ExperimentVariant"("experimentId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ExperimentVariant_experimentId_position_key" ON "ExperimentVariant"("experimentId", "position");

-- CreateIndex
CREATE INDEX "ExperimentExposure_experimentId_variantId_idx" ON "ExperimentExposure"("experimentId", "variantId");

-- CreateIndex
CREATE UNIQUE INDEX "ExperimentExposure_variantId_requestId_key" ON "ExperimentExposure"("variantId", "requestId");

-- AddForeignKey
ALTER TABLE "ExperimentVariant" ADD CONSTRAINT "ExperimentVariant_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExperimentExposure" ADD CONSTRAINT "ExperimentExposure_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExperimentExposure" ADD CONSTRAINT "ExperimentExposure_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "ExperimentVariant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Defence in depth for what packages/experiments validates: a share in (0, 1], and a variant serves
-- exactly one of a model version or a named policy.
ALTER TABLE "ExperimentVariant" ADD CONSTRAINT "ExperimentVariant_share_check" CHECK ("share" > 0 AND "share" <= 1);
ALTER TABLE "ExperimentVariant" ADD CONSTRAINT "ExperimentVariant_serves_one_check" CHECK (("modelVersionId" IS NULL) <> ("policy" IS NULL));

-- Outcomes of an exposure are the interactions carrying its requestId. Partial, so that imported
-- benchmark data (no requestId) costs the index nothing.
CREATE INDEX "Interaction_datasetId_requestId_idx" ON "Interaction"("datasetId", "requestId") WHERE "requestId" IS NOT NULL;
