-- DropForeignKey
ALTER TABLE "Interaction" DROP CONSTRAINT "Interaction_datasetId_fkey";

-- DropForeignKey
ALTER TABLE "TagAssignment" DROP CONSTRAINT "TagAssignment_datasetId_fkey";
