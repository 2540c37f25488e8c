import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { peakRssMb, roundTo, type BenchResult } from '@recsys/benchmarking';
import { importSource, loadDatasetFromPostgres, movieLens100k } from '@recsys/data';
import { createTestDatabase } from '@recsys/db';
import { AlsModel } from '@recsys/models';
import { Redis } from 'ioredis';
import { createInferenceEngine, directoryModelSource } from '../src';
import { loadCatalog } from '../src/catalog/catalog-loader';
import { UserHistoryReader, type UserHistory } from '../src/history/user-history';
import { RedisStore } from '../src/cache/redis-store';
import { EventSink } from '../src/events';
import { silentLogger } from '../src/logger';
import { loadServedModel } from '../src/models/served-model';
import { DEFAULT_CANDIDATE_OPTIONS, DEFAULT_RANKING_OPTIONS } from '../src/options';
import { runPipeline } from '../src/recommend/recommend-pipeline';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/**
 * MovieLens 100K with ALS (64 factors): the synchronous request pipeline alone (candidates, scoring, MMR,
 * explanations; data already fetched) per user, then the whole uncached `recommend` without Redis
 * (history query included) and a cached one (in-process LRU hit, Redis generation read), all 943 users.
 */
export async function recommendMl100kBench(): Promise<BenchResult> {
  const db = await createTestDatabase();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'recsys-serving-bench-'));
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const keyPrefix = `bench:serving:${Date.now()}:`;
  try {
    await importSource(db.pool, movieLens100k());
    const dataset = await loadDatasetFromPostgres(db.pool, 'ml-100k');
    const als = await new AlsModel().fit(dataset, { factors: 64, iterations: 5 });
    await als.save(dir);
    const ref = { versionId: 'bench', versionLabel: 'als@1', dir };
    const users = dataset.users.toJSON();

    const catalog = await loadCatalog(db.pool, 'ml-100k');
    const served = await loadServedModel(ref);
    const sink = new EventSink();
    const reader = new UserHistoryReader(
      db.pool,
      'ml-100k',
      500,
      new RedisStore(null, 100, sink, silentLogger),
      sink,
      '',
      1,
      1,
      1,
    );
    const histories: UserHistory[] = [];
    for (const u of users) histories.push(await reader.query(u));
    const trending = new Float32Array(catalog.ids.size);
    const run = (k: number): void => {
      runPipeline({
        request: { userId: users[k], limit: 10 },
        catalog,
        served,
        history: histories[k],
        trending,
        candidates: DEFAULT_CANDIDATE_OPTIONS,
        ranking: DEFAULT_RANKING_OPTIONS,
      });
    };
    for (let k = 0; k < 300; k++) run(k);
    const times: number[] = [];
    const cpu0 = process.cpuUsage();
    for (let k = 0; k < users.length; k++) {
      const t = performance.now();
      run(k);
      times.push(performance.now() - t);
    }
    const cpu = process.cpuUsage(cpu0);
    const pipelineCpuMs = (cpu.user + cpu.system) / 1000 / users.length;
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    times.sort((a, b) => a - b);

    const uncached = await createInferenceEngine({
      pool: db.pool,
      datasetId: 'ml-100k',
      modelSource: directoryModelSource({ home: ref }),
    });
    for (const u of users.slice(0, 100)) await uncached.recommend({ userId: u, limit: 10 });
    let t0 = performance.now();
    let c0 = process.cpuUsage();
    for (const u of users) await uncached.recommend({ userId: u, limit: 10 });
    let c = process.cpuUsage(c0);
    const uncachedWallMs = (performance.now() - t0) / users.length;
    const uncachedCpuMs = (c.user + c.system) / 1000 / users.length;
    await uncached.close();

    const cached = await createInferenceEngine({
      pool: db.pool,
      redis,
      keyPrefix,
      datasetId: 'ml-100k',
      modelSource: directoryModelSource({ home: ref }),
    });
    for (const u of users) await cached.recommend({ userId: u, limit: 10 });
    t0 = performance.now();
    c0 = process.cpuUsage();
    for (const u of users) await cached.recommend({ userId: u, limit: 10 });
    c = process.cpuUsage(c0);
    const cachedWallMs = (performance.now() - t0) / users.length;
    const cachedCpuMs = (c.user + c.system) / 1000 / users.length;
    await cached.close();

    return {
      users: users.length,
      pipelineMeanMs: roundTo(mean),
      pipelineP50Ms: roundTo(percentile(times, 0.5)),
      pipelineP99Ms: roundTo(percentile(times, 0.99)),
      pipelineCpuMs: roundTo(pipelineCpuMs),
      uncachedRecommendWallMs: roundTo(uncachedWallMs),
      uncachedRecommendCpuMs: roundTo(uncachedCpuMs),
      cachedRecommendWallMs: roundTo(cachedWallMs),
      cachedRecommendCpuMs: roundTo(cachedCpuMs),
      peakRssMb: peakRssMb(),
    };
  } finally {
    for (let cursor = '0'; ;) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
    await db.drop();
  }
}
