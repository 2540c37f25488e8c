import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { createPrismaClient, type PrismaClient } from '@recsys/db';
import { LocalArtifactStore, ModelRegistry, type ModelVersionRecord } from '@recsys/registry';
import {
  createInferenceEngine,
  directoryModelSource,
  registryModelEvents,
  registryModelSource,
  type EngineEvent,
  type Logger,
  type ModelRef,
  type RecommendationList,
} from '../src';
import {
  DATASET,
  ModelDirs,
  ml100kDatabase,
  testRedis,
  trainAls,
  trainItemKnn,
  type Ml100kDatabase,
  type TestRedis,
} from './support/fixture';

/*
 * Model changes while serving: a promotion in the real registry, announced on Redis, swaps the model
 * under 200 concurrent requests; a failed load keeps the old model; the poll catches missed events.
 */

let data: Ml100kDatabase;
let pool: Pool;
let r: TestRedis;
let prisma: PrismaClient;
let storeDir: string;
const dirs = new ModelDirs();
let alsRef: ModelRef;
let knnRef: ModelRef;

const silentRegistryLogger = { warn: () => undefined };

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return {
    errors,
    info: () => undefined,
    warn: () => undefined,
    error: (_obj, msg) => errors.push(msg ?? ''),
  };
}

function waitFor(events: EngineEvent[], test: (e: EngineEvent) => boolean, ms = 20_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (events.some(test)) resolve();
      else if (Date.now() - started > ms) reject(new Error('timed out waiting for an engine event'));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

beforeAll(async () => {
  data = await ml100kDatabase();
  pool = data.db.pool;
  r = await testRedis();
  prisma = createPrismaClient(data.db.url);
  storeDir = await mkdtemp(path.join(os.tmpdir(), 'recsys-serving-store-'));
  alsRef = await dirs.save(await trainAls(data.dataset), 'als', 'als@1');
  knnRef = await dirs.save(await trainItemKnn(data.dataset), 'item-knn', 'item-knn@1');
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await r?.cleanup();
  await dirs.removeAll();
  if (storeDir) await rm(storeDir, { recursive: true, force: true });
  await data?.db.drop();
});

describe('through the registry', () => {
  it('swaps to a newly promoted version under 200 concurrent requests; none fails', async () => {
    const store = new LocalArtifactStore(storeDir);
    const registry = new ModelRegistry({ prisma, store, redis: r.redis, logger: silentRegistryLogger });
    const register = async (modelType: string, dir: string): Promise<ModelVersionRecord> =>
      registry.register({
        modelType,
        datasetId: DATASET,
        dataFingerprint: 'f'.repeat(64),
        params: {},
        metrics: {},
        artifactDir: dir,
      });
    const v1 = await register('als', alsRef.dir);
    await registry.setStage(v1.id, 'PRODUCTION', { actor: 'test' });

    const events: EngineEvent[] = [];
    const engine = await createInferenceEngine({
      pool,
      redis: r.redis,
      keyPrefix: r.prefix,
      datasetId: DATASET,
      modelSource: registryModelSource(registry, store, path.join(storeDir, 'cache'), { datasetId: DATASET }),
      modelEvents: registryModelEvents(r.redis),
      onEvent: (e) => events.push(e),
    });
    try {
      expect((await engine.health()).models).toEqual({
        home: 'als@1',
        search: 'als@1',
        service_page: 'als@1',
      });
      const v2 = await register('item-knn', knnRef.dir);

      // Requests keep arriving while the promotion is announced and the new model loads. The model is
      // read synchronously when a request starts, so one that starts after the swap event sees the new
      // version and one that starts before keeps the old, even though both run concurrently.
      const isSwap = (e: EngineEvent): boolean => e.type === 'model-swap' && e.to === 'item-knn@1';
      const launched: { expected: string; list: Promise<RecommendationList> }[] = [];
      let promotion: Promise<unknown> | null = null;
      let afterSwap = 0;
      for (let k = 0; launched.length < 200 || afterSwap < 20; k++) {
        if (k === 20)
          promotion = registry.setStage(v2.id, 'PRODUCTION', { actor: 'test', reason: 'better ndcg' });
        const swapped = events.some(isSwap);
        if (swapped) afterSwap++;
        launched.push({
          expected: swapped ? 'item-knn@1' : 'als@1',
          list: engine.recommend({
            userId: String(1 + ((k * 7) % 943)),
            limit: 10,
            context: { placement: k % 2 === 0 ? 'home' : 'search' },
          }),
        });
        if (k % 5 === 4) await new Promise((resolve) => setTimeout(resolve, 5));
        if (k > 5000) throw new Error('the swap never happened');
      }
      await promotion;
      const settled = await Promise.allSettled(launched.map((l) => l.list));
      expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
      let old = 0;
      settled.forEach((s, k) => {
        if (s.status !== 'fulfilled') return;
        expect(s.value.modelVersion).toBe(launched[k].expected);
        expect(s.value.items).toHaveLength(10);
        if (s.value.modelVersion === 'als@1') old++;
      });
      expect(old).toBeGreaterThanOrEqual(20);
      expect(settled.length - old).toBeGreaterThanOrEqual(20);
      const users = Array.from({ length: 50 }, (_, k) => String(500 + k));
      const later = await Promise.all(users.map((userId) => engine.recommend({ userId, limit: 9 })));
      for (const list of later) {
        expect(list.modelVersion).toBe('item-knn@1');
        expect(list.fromCache).toBe(false);
      }
      expect((await engine.health()).models.home).toBe('item-knn@1');
      expect(engine.stats().modelSwaps).toBe(2); // the start, then the promotion
    } finally {
      await engine.close();
    }
  });
});

describe('with a directory source', () => {
  it('keeps the old model when a new one fails to load, and logs it', async () => {
    const source = directoryModelSource({ home: alsRef });
    const logger = recordingLogger();
    const engine = await createInferenceEngine({ pool, datasetId: DATASET, modelSource: source, logger });
    try {
      source.set('home', { versionId: 'broken', versionLabel: 'als@9', dir: path.join(storeDir, 'missing') });
      await engine.refreshModels();
      const list = await engine.recommend({ userId: '1', limit: 5 });
      expect(list.modelVersion).toBe('als@1');
      expect(engine.stats().modelLoadFailures).toBeGreaterThanOrEqual(1);
      expect(logger.errors).toContain('model load failed; keeping the current model');
    } finally {
      await engine.close();
    }
  });

  it("serves the version a request's treatment names, cached apart from production", async () => {
    const source = directoryModelSource({ home: alsRef });
    source.addVersion(knnRef);
    const engine = await createInferenceEngine({
      pool,
      redis: r.redis,
      keyPrefix: `${r.prefix}treatment:`,
      datasetId: DATASET,
      modelSource: source,
    });
    try {
      const production = await engine.recommend({ userId: '1', limit: 5 });
      expect(production.modelVersion).toBe('als@1');
      const treated = { userId: '1', limit: 5, treatment: { modelVersionId: knnRef.versionId } };
      const variant = await engine.recommend(treated);
      expect(variant.modelVersion).toBe('item-knn@1');
      expect(variant.fromCache).toBe(false);
      expect((await engine.recommend(treated)).fromCache).toBe(true);
      expect((await engine.recommend({ userId: '1', limit: 5 })).modelVersion).toBe('als@1');
      // A version that cannot be served falls back to production.
      const unknown = await engine.recommend({
        userId: '1',
        limit: 5,
        treatment: { modelVersionId: 'nope' },
      });
      expect(unknown.modelVersion).toBe('als@1');
      // A policy treatment is not a model version: production ranks.
      expect(
        (await engine.recommend({ userId: '2', limit: 5, treatment: { policy: 'production' } })).modelVersion,
      ).toBe('als@1');
    } finally {
      await engine.close();
    }
  });

  it('finds a change by polling when no event arrives, per placement with fallback to home', async () => {
    const source = directoryModelSource({ home: alsRef });
    const events: EngineEvent[] = [];
    const engine = await createInferenceEngine({
      pool,
      datasetId: DATASET,
      modelSource: source,
      refresh: { modelPollMs: 100 },
      onEvent: (e) => events.push(e),
    });
    try {
      source.set('service_page', knnRef);
      await waitFor(events, (e) => e.type === 'model-swap' && e.placement === 'service_page');
      expect(
        (await engine.recommend({ userId: '1', limit: 5, context: { placement: 'service_page' } }))
          .modelVersion,
      ).toBe('item-knn@1');
      expect((await engine.recommend({ userId: '1', limit: 5 })).modelVersion).toBe('als@1');
      // Removing a placement's model falls back to home's.
      source.set('service_page', null);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await engine.health()).models.service_page).toBe('als@1');
    } finally {
      await engine.close();
    }
  });

  it('answers cold start when no model is in production at all', async () => {
    const engine = await createInferenceEngine({
      pool,
      datasetId: DATASET,
      modelSource: directoryModelSource(),
    });
    try {
      const list = await engine.recommend({ userId: '1', limit: 10 });
      expect(list.modelVersion).toBe('cold-start');
      expect(list.coldStart).toBe(false); // user 1 has history: anchored on it, but no model ranked it
      expect(list.items).toHaveLength(10);
      expect((await engine.health()).models).toEqual({});
      await engine.close();
      await expect(engine.recommend({ userId: '1', limit: 10 })).rejects.toMatchObject({
        code: 'UNAVAILABLE',
      });
    } finally {
      await engine.close();
    }
  });
});
