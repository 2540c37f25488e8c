import { randomUUID } from 'node:crypto';
import { createPrismaClient, createTestDatabase, type PrismaClient, type TestDatabase } from '@recsys/db';
import type { ExperimentDefinition } from '../../src';

export interface ExperimentsDatabase {
  db: TestDatabase;
  prisma: PrismaClient;
  close(): Promise<void>;
}

/** A throw-away database with every migration applied, and a Prisma client on it. */
export async function experimentsDatabase(): Promise<ExperimentsDatabase> {
  const db = await createTestDatabase();
  const prisma = createPrismaClient(db.url);
  return {
    db,
    prisma,
    async close() {
      await prisma.$disconnect();
      await db.drop();
    },
  };
}

/** A registry row as the model registry would have written it (no artifact is needed here). */
export async function registerVersion(
  prisma: PrismaClient,
  modelType: string,
  version: number,
  stage: 'CANDIDATE' | 'SHADOW' | 'CANARY' | 'PRODUCTION' | 'ARCHIVED' = 'CANDIDATE',
): Promise<string> {
  const row = await prisma.modelVersion.create({
    data: {
      modelType,
      version,
      datasetId: 'marketplace',
      dataFingerprint: 'test',
      params: {},
      metrics: {},
      artifactUri: `file:///tmp/${modelType}-${version}-${randomUUID()}`,
      stage,
    },
  });
  return row.id;
}

/** A two-variant definition on `placement`: production against `modelVersion`. */
export function twoArms(
  name: string,
  placement: string,
  modelVersion: string,
  overrides: Partial<ExperimentDefinition> = {},
): ExperimentDefinition {
  return {
    name,
    placement,
    primaryMetric: 'ctr',
    guardrailMetrics: ['conversion'],
    minSampleSize: 100,
    variants: [
      { name: 'control', share: 0.5, policy: 'production' },
      { name: 'treatment', share: 0.5, modelVersion },
    ],
    ...overrides,
  };
}
