import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { roundTo, type BenchResult } from '@recsys/benchmarking';
import { createPrismaClient } from '@recsys/db';
import {
  LocalArtifactStore,
  ModelRegistry,
  subscribeModelEvents,
  type ModelVersionRecord,
} from '@recsys/registry';
import { createInferenceEngine, registryModelEvents, registryModelSource } from '@recsys/serving';
import { loadDataset, trainAndRegister } from '@recsys/training';
import { movieLensDatabase, percentile, REDIS_URL } from './support';

const ROUNDS = 10;

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error('serving never showed the promoted version');
    await new Promise((r) => setImmediate(r));
  }
}

function stats(ms: number[]): Record<string, number> {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: roundTo(percentile(sorted, 0.5), 1), max: roundTo(sorted[sorted.length - 1], 1) };
}

/**
 * From calling `setStage(PRODUCTION)` (the transaction, then the announcement on Redis pub/sub) to the
 * serving engine's `health().models` naming the new version (it reloads the placement's model from the
 * registry and its artifact on the event). Two popularity versions of MovieLens 100K swapped back and
 * forth; also the bare event latency (promote → subscribeModelEvents callback).
 */
export async function promoteToServingBench(): Promise<BenchResult> {
  const db = await movieLensDatabase();
  const work = await mkdtemp(path.join(os.tmpdir(), 'recsys-promote-bench-'));
  const prisma = createPrismaClient(db.url);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const store = new LocalArtifactStore(path.join(work, 'artifacts'));
  const registry = new ModelRegistry({ prisma, store, redis });
  const placement = 'home';
  try {
    const dataset = await loadDataset('db:ml-100k', { pool: () => db.pool });
    const versions: ModelVersionRecord[] = [];
    for (const k of [1, 2]) {
      versions.push(
        await trainAndRegister({
          dataset,
          datasetId: 'ml-100k',
          modelType: 'popularity',
          registry,
          workDir: path.join(work, `train-${k}`),
          actor: 'bench',
          placement,
        }),
      );
    }
    await registry.setStage(versions[0].id, 'PRODUCTION', { actor: 'bench' });
    const engine = await createInferenceEngine({
      pool: db.pool,
      redis,
      datasetId: 'ml-100k',
      modelSource: registryModelSource(registry, store, path.join(work, 'cache')),
      modelEvents: registryModelEvents(redis),
      refresh: { modelPollMs: 3_600_000 },
    });
    let heard: ((versionId: string) => void) | null = null;
    const unsubscribe = await subscribeModelEvents(redis, (event) => {
      if (event.stage === 'PRODUCTION') heard?.(event.versionId);
    });
    const toServing: number[] = [];
    const toEvent: number[] = [];
    try {
      const label = (v: ModelVersionRecord): string => `${v.modelType}@${v.version}`;
      await until(async () => (await engine.health()).models[placement] === label(versions[0]), 30_000);
      for (let round = 0; round < ROUNDS; round++) {
        const next = versions[(round + 1) % 2];
        const event = new Promise<number>((resolve) => {
          heard = (id) => id === next.id && resolve(performance.now());
        });
        const promoted = performance.now();
        await registry.setStage(next.id, 'PRODUCTION', { actor: 'bench' });
        await until(async () => (await engine.health()).models[placement] === label(next), 30_000);
        toServing.push(performance.now() - promoted);
        toEvent.push((await event) - promoted);
      }
    } finally {
      await unsubscribe();
      await engine.close();
    }
    const serving = stats(toServing);
    const event = stats(toEvent);
    return {
      rounds: ROUNDS,
      promoteToServingMsP50: serving.p50,
      promoteToServingMsMax: serving.max,
      promoteToEventMsP50: event.p50,
      promoteToEventMsMax: event.max,
      measuredWith:
        'from the setStage call to packages/serving health().models (Redis pub/sub; popularity, local store)',
    };
  } finally {
    redis.disconnect();
    await prisma.$disconnect();
    await db.drop();
    await rm(work, { recursive: true, force: true });
  }
}
