import type { PrismaClient } from '@recsys/db';
import type { ExposureInput } from '../contract';

/** Where exposure batches go. */
export interface ExposureSink {
  /**
   * Stores a batch in one statement, skipping exposures already stored (same variant and request id);
   * resolves with how many rows were new. All or nothing: a rejected batch stored none.
   */
  insert(exposures: readonly ExposureInput[]): Promise<number>;
}

/** ExperimentExposure rows through Prisma: one multi-row INSERT ... ON CONFLICT DO NOTHING. */
export function prismaExposureSink(prisma: PrismaClient, datasetId: string): ExposureSink {
  return {
    async insert(exposures) {
      const result = await prisma.experimentExposure.createMany({
        data: exposures.map((exposure) => ({
          experimentId: exposure.experimentId,
          variantId: exposure.variantId,
          datasetId,
          userId: exposure.userId,
          requestId: exposure.requestId,
          placement: exposure.placement,
          modelVersionId: exposure.modelVersionId,
          modelVersion: exposure.modelVersion,
          shown: exposure.shown,
          assignmentProbability: exposure.assignmentProbability,
          items: exposure.items.map((item) => ({ ...item })),
          servedAt: exposure.servedAt,
        })),
        skipDuplicates: true,
      });
      return result.count;
    },
  };
}
