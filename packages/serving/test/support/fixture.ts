import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { importSource, loadDatasetFromPostgres, movieLens100k, type InteractionDataset } from '@recsys/data';
import { createTestDatabase, type TestDatabase } from '@recsys/db';
import { AlsModel, ItemKnnModel, type TrainableRecommender } from '@recsys/models';
import type { ModelRef } from '../../src';

export const DATASET = 'ml-100k';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A throw-away database with MovieLens 100K imported, and the dataset as models train on it. */
export interface Ml100kDatabase {
  db: TestDatabase;
  dataset: InteractionDataset;
}

export async function ml100kDatabase(): Promise<Ml100kDatabase> {
  const db = await createTestDatabase();
  await importSource(db.pool, movieLens100k());
  const dataset = await loadDatasetFromPostgres(db.pool, DATASET);
  return { db, dataset };
}

/** Folders for saved models, removed by `removeAll`. */
export class ModelDirs {
  private root: string | null = null;

  async save(model: TrainableRecommender, name: string, label: string): Promise<ModelRef> {
    this.root ??= await mkdtemp(path.join(os.tmpdir(), 'recsys-serving-'));
    const dir = path.join(this.root, name);
    await model.save(dir);
    return { versionId: `${name}-${randomUUID()}`, versionLabel: label, dir };
  }

  async removeAll(): Promise<void> {
    if (this.root) await rm(this.root, { recursive: true, force: true });
  }
}

/** ALS with few iterations: enough for a sensible ranking, fast on two cores. */
export async function trainAls(dataset: InteractionDataset, seed = 42): Promise<AlsModel> {
  return new AlsModel().fit(dataset, { factors: 32, iterations: 4, threads: 1, seed });
}

export async function trainItemKnn(dataset: InteractionDataset): Promise<ItemKnnModel> {
  return new ItemKnnModel().fit(dataset, { neighbors: 50 });
}

/** A Redis client with a key prefix of its own; `cleanup` deletes the prefix's keys and quits. */
export interface TestRedis {
  redis: Redis;
  prefix: string;
  cleanup(): Promise<void>;
}

export async function testRedis(): Promise<TestRedis> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  await redis.ping();
  const prefix = `test:serving:${randomUUID()}:`;
  return {
    redis,
    prefix,
    async cleanup() {
      const cleaner = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      try {
        await deleteKeys(cleaner, prefix);
      } finally {
        cleaner.disconnect();
        redis.disconnect();
      }
    },
  };
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

export async function keysOf(redis: Redis, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}
