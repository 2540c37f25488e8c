import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { importSource, loadDatasetFromPostgres, movieLens100k } from '@recsys/data';
import { createTestDatabase, type TestDatabase } from '@recsys/db';
import { AlsModel } from '@recsys/models';
import {
  PLACEMENTS,
  createInferenceEngine,
  directoryModelSource,
  type CacheOptions,
  type ModelRef,
  type ServingEngine,
} from '@recsys/serving';
import { Redis } from 'ioredis';

export const DATASET = 'ml-100k';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The real inference engine over MovieLens 100K: a throw-away database with the data set imported, an
 * ALS model trained quickly and saved to a temporary folder, served for every placement, and Redis under
 * a key prefix of its own.
 */
export interface EngineFixture {
  db: TestDatabase;
  redis: Redis;
  /** Prefix of every Redis key the fixture's engines and rate limiters write. */
  keyPrefix: string;
  model: ModelRef;
  /** A new engine over the fixture's data (each server closes its own). */
  createEngine(options?: { redis?: Redis | null; cache?: Partial<CacheOptions> }): Promise<ServingEngine>;
  close(): Promise<void>;
}

export interface EngineFixtureOptions {
  /** ALS factors: 16 by default (quick to train; the bench uses more). */
  factors?: number;
  /** ALS sweeps: 3 by default. */
  iterations?: number;
}

export async function createEngineFixture(options: EngineFixtureOptions = {}): Promise<EngineFixture> {
  const db = await createTestDatabase();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'recsys-subgraph-'));
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const keyPrefix = `test:subgraph:${randomUUID()}:`;
  try {
    await importSource(db.pool, movieLens100k(), { datasetId: DATASET });
    const dataset = await loadDatasetFromPostgres(db.pool, DATASET);
    const als = await new AlsModel().fit(dataset, {
      factors: options.factors ?? 16,
      iterations: options.iterations ?? 3,
      threads: 1,
      seed: 7,
    });
    await als.save(path.join(dir, 'als'));
  } catch (error) {
    redis.disconnect();
    await db.drop();
    throw error;
  }
  const model: ModelRef = {
    versionId: `als-${randomUUID()}`,
    versionLabel: 'als@1',
    dir: path.join(dir, 'als'),
  };
  const modelSource = directoryModelSource(
    Object.fromEntries(PLACEMENTS.map((placement) => [placement, model])),
  );
  return {
    db,
    redis,
    keyPrefix,
    model,
    createEngine: (engineOptions = {}) =>
      createInferenceEngine({
        pool: db.pool,
        redis: engineOptions.redis === undefined ? redis : engineOptions.redis,
        datasetId: DATASET,
        modelSource,
        keyPrefix: `${keyPrefix}serving:`,
        ...(engineOptions.cache === undefined ? {} : { cache: engineOptions.cache }),
      }),
    async close() {
      await deleteKeys(redis, keyPrefix);
      redis.disconnect();
      await rm(dir, { recursive: true, force: true });
      await db.drop();
    },
  };
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
